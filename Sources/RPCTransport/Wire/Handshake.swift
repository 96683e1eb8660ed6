import RPCCore

/// The connection preamble and the HELLO frames (PROTOCOL.md, "Handshake").
package enum Handshake {
    /// `CCRP`: the four bytes a client writes before anything else.
    package static let magic: [UInt8] = Array("CCRP".utf8)
    /// The protocol versions this implementation speaks, newest last.
    package static let supportedVersions: [UInt16] = [1]
    /// Names in HELLO are at most this many UTF-8 bytes.
    package static let maxNameLength = 255
    /// The smallest window a HELLO may grant: with none, no stream message could ever be sent.
    package static let minimumInitialWindow: UInt32 = 1
    /// The smallest frame limit a HELLO may announce (HTTP/2's minimum), so an error STATUS and
    /// its details fit in one frame.
    package static let minimumMaxFrameSize: UInt32 = 16 * 1024
    /// The largest client HELLO payload a server reads (the largest valid one is 776 bytes: 255
    /// versions and a 255-byte name). Before the handshake a peer is nobody yet: a HELLO header
    /// announcing megabytes must not make the server reserve them for every connection it opens.
    package static let maxClientHelloSize = 1024

    /// The newest version both sides speak, or nil.
    package static func chooseVersion(offered: [UInt16], supported: [UInt16] = supportedVersions) -> UInt16? {
        offered.filter(supported.contains).max()
    }
}

/// The client's HELLO payload: versions it speaks, how much it buffers per stream, its frame limit, its name.
package struct ClientHello: Sendable, Equatable {
    package var versions: [UInt16]
    package var initialWindow: UInt32
    package var maxFrameSize: UInt32
    package var name: String

    package func frame() -> [UInt8] {
        FrameBuilder.frame(.hello, streamID: 0) { buffer in
            buffer.append(UInt8(versions.count))
            for version in versions { buffer.appendBigEndian(version) }
            buffer.appendBigEndian(initialWindow)
            buffer.appendBigEndian(maxFrameSize)
            buffer.appendLengthPrefixed(String(name.utf8.prefix(Handshake.maxNameLength)) ?? "")
        }
    }

    package init(versions: [UInt16], initialWindow: UInt32, maxFrameSize: UInt32, name: String) {
        self.versions = versions
        self.initialWindow = initialWindow
        self.maxFrameSize = maxFrameSize
        self.name = name
    }

    package init(payload: ArraySlice<UInt8>) throws(ProtocolViolation) {
        var reader = ByteReader(payload)
        let count = try reader.readByte("version count")
        guard count > 0 else { throw ProtocolViolation("HELLO offers no protocol version") }
        versions = []
        for _ in 0..<count { versions.append(try reader.readBigEndianUInt16("protocol version")) }
        initialWindow = try reader.readBigEndianUInt32("initial window")
        maxFrameSize = try reader.readBigEndianUInt32("max frame size")
        name = try reader.readString("client name", limit: Handshake.maxNameLength)
        try reader.expectEnd("client HELLO")
    }
}

/// The server's HELLO payload: the chosen version, its limits, its name and version.
package struct ServerHello: Sendable, Equatable {
    package var version: UInt16
    package var maxFrameSize: UInt32
    package var maxConcurrentCalls: UInt32
    package var initialWindow: UInt32
    package var serverName: String
    package var serverVersion: String

    package func frame() -> [UInt8] {
        FrameBuilder.frame(.hello, streamID: 0) { buffer in
            buffer.appendBigEndian(version)
            buffer.appendBigEndian(maxFrameSize)
            buffer.appendBigEndian(maxConcurrentCalls)
            buffer.appendBigEndian(initialWindow)
            buffer.appendLengthPrefixed(String(serverName.utf8.prefix(Handshake.maxNameLength)) ?? "")
            buffer.appendLengthPrefixed(String(serverVersion.utf8.prefix(Handshake.maxNameLength)) ?? "")
        }
    }

    package init(version: UInt16, maxFrameSize: UInt32, maxConcurrentCalls: UInt32, initialWindow: UInt32,
         serverName: String, serverVersion: String) {
        self.version = version
        self.maxFrameSize = maxFrameSize
        self.maxConcurrentCalls = maxConcurrentCalls
        self.initialWindow = initialWindow
        self.serverName = serverName
        self.serverVersion = serverVersion
    }

    package init(payload: ArraySlice<UInt8>) throws(ProtocolViolation) {
        var reader = ByteReader(payload)
        version = try reader.readBigEndianUInt16("chosen version")
        maxFrameSize = try reader.readBigEndianUInt32("max frame size")
        maxConcurrentCalls = try reader.readBigEndianUInt32("max concurrent calls")
        initialWindow = try reader.readBigEndianUInt32("initial window")
        serverName = try reader.readString("server name", limit: Handshake.maxNameLength)
        serverVersion = try reader.readString("server version", limit: Handshake.maxNameLength)
        try reader.expectEnd("server HELLO")
    }
}
