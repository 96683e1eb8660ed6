import RPCCore

/// What the fuzz targets in Tests/Fuzz drive: every parser a peer's bytes reach, fed the way a
/// connection feeds them, and the frames a fuzzing client needs to reach the handlers.
///
/// The server's connection interleaves parsing with sockets, threads and timers, so it cannot run
/// millions of inputs a minute; this walks the same parsers (``FrameReader`` over arbitrary read
/// boundaries, the handshake, CALL_START heads and their metadata limits, STATUS, GOAWAY and
/// WINDOW_UPDATE payloads) in the order ``ServerConnection`` and ``ClientConnection`` apply them.
/// `@_spi(Fuzzing)` keeps it out of the public API.
@_spi(Fuzzing) public enum WireFuzzing {
    /// Whose reading to drive: the server reads a client's bytes, the client a server's.
    public enum Side: Sendable { case server, client }

    /// Feeds `bytes` in pieces of `chunk` bytes and parses every frame as `side` does, stopping where
    /// that side would close the connection. Returns the number of frames accepted; it must never trap.
    @discardableResult
    public static func read(_ bytes: ArraySlice<UInt8>, as side: Side, chunk: Int, maxFrameSize: Int) -> Int {
        // A server reads nothing larger than a HELLO until the handshake is done.
        var reader = FrameReader(maxFrameSize: side == .server ? min(maxFrameSize, Handshake.maxClientHelloSize) : maxFrameSize)
        var pending = bytes
        var magicChecked = side == .client
        var handshakeDone = false
        var accepted = 0
        while true {
            do {
                if !magicChecked, let magic = reader.take(Handshake.magic.count) {
                    guard magic == Handshake.magic else { return accepted }
                    magicChecked = true
                }
                while magicChecked, let event = try reader.next() {
                    guard try handle(event, in: reader, as: side, handshakeDone: &handshakeDone) else { return accepted }
                    reader.maxFrameSize = handshakeDone ? maxFrameSize : reader.maxFrameSize
                    accepted += 1
                }
                // The server refuses a frame its peer's input budget has no room for while it is
                // still arriving, and skips the rest of it (``FrameReader/skipPendingFrame()``): here
                // every third length, so the input chooses which.
                if side == .server, handshakeDone, let header = reader.pendingHeader, header.payloadLength % 3 == 0 {
                    guard header.streamID != 0, header.type == .callStart || header.type == .message,
                          reader.skipPendingFrame() == header else { return accepted }
                }
            } catch {
                return accepted
            }
            guard !pending.isEmpty else { return accepted }
            let piece = pending.prefix(max(chunk, 1))
            pending = pending.dropFirst(piece.count)
            reader.append(piece)
        }
    }

    /// One frame as `side` handles it; false where it would close the connection.
    private static func handle(_ event: FrameReader.Event, in reader: FrameReader, as side: Side,
                               handshakeDone: inout Bool) throws(ProtocolViolation) -> Bool {
        guard case .frame(let header, let range) = event else {
            // Over the limit: a call's frame fails only that call, any other ends the connection.
            guard case .oversized(let header) = event else { return false }
            return handshakeDone && header.streamID != 0 && (header.type == .callStart || header.type == .message)
        }
        let payload = reader.payload(in: range)
        if !handshakeDone {
            guard header.type == .hello, header.streamID == 0 else { return false }
            switch side {
            case .server:
                guard Handshake.chooseVersion(offered: try ClientHello(payload: payload).versions) != nil else { return false }
            case .client:
                _ = try ServerHello(payload: payload)
            }
            handshakeDone = true
            return true
        }
        switch (side, header.type) {
        case (.server, .callStart):
            // A malformed head or metadata over its limits fails only the call; any timeout is a deadline.
            if let (head, _) = try? CallStartHead.parse(payload) {
                _ = try? head.metadata.validate()
                _ = ContinuousClock.now.advanced(by: .microseconds(head.timeoutMicroseconds))
            }
        case (_, .windowUpdate):
            _ = try WindowUpdate.parse(payload)
        case (.client, .status):
            _ = try CallStatus.parse(payload).0.error
        case (.client, .goAway):
            _ = try GoAway(payload: payload)
        case (.server, .hello), (.server, .status), (.client, .hello), (.client, .callStart):
            return false
        default:
            break
        }
        return true
    }

    // MARK: Frames for fuzzing clients and seed inputs

    /// The magic and a client HELLO offering version 1 and this frame limit.
    public static func clientPreamble(maxFrameSize: UInt32 = 1 << 24) -> [UInt8] {
        Handshake.magic + ClientHello(versions: Handshake.supportedVersions, initialWindow: 1 << 24,
                                      maxFrameSize: maxFrameSize, name: "fuzz").frame()
    }

    /// A CALL_START carrying the whole request and ending the client's side of the stream.
    public static func callStart(method: String, message: some Sequence<UInt8>, streamID: UInt32,
                                 metadata: [(String, String)] = [], timeoutMicroseconds: UInt64 = 0) -> [UInt8] {
        FrameBuilder.frame(.callStart, flags: [.hasMessage, .endStream], streamID: streamID) { payload in
            CallStartHead(timeoutMicroseconds: timeoutMicroseconds, method: method, metadata: Metadata(metadata))
                .write(into: &payload)
            payload.append(contentsOf: message)
        }
    }

    /// A WINDOW_UPDATE returning `increment` bytes of credit on `streamID`.
    public static func windowUpdate(streamID: UInt32, increment: UInt32) -> [UInt8] {
        var buffer: [UInt8] = []
        WindowUpdate.append(streamID: streamID, increment: increment, to: &buffer)
        return buffer
    }

    /// A well-formed stream of `side`'s peer carrying `message`: every frame type that side reads, once.
    public static func sampleStream(to side: Side, message: [UInt8]) -> [UInt8] {
        switch side {
        case .server:
            return clientPreamble()
                + callStart(method: "customer.v1.CustomerService/ListCustomers", message: message, streamID: 1,
                            metadata: [("acting-for", "someone")], timeoutMicroseconds: 5_000_000)
                + windowUpdate(streamID: 1, increment: 4096)
                + FrameBuilder.frame(.ping, streamID: 0) { $0.append(contentsOf: [1, 2, 3, 4, 5, 6, 7, 8]) }
                + FrameBuilder.frame(.cancel, streamID: 1) { _ in }
        case .client:
            let hello = ServerHello(version: 1, maxFrameSize: 1 << 24, maxConcurrentCalls: 64, initialWindow: 1 << 20,
                                    serverName: "customerd", serverVersion: "fuzz")
            let status = RPCError(.invalidArgument, "limit out of range", details: [ErrorDetail(field: "limit", reason: "1...1000")])
            return hello.frame()
                + FrameBuilder.frame(.message, flags: .hasMessage, streamID: 1) { $0.append(contentsOf: message) }
                + FrameBuilder.frame(.status, flags: .hasMessage, streamID: 1) {
                    CallStatus(error: status).write(into: &$0)
                    $0.append(contentsOf: message)
                }
                + windowUpdate(streamID: 1, increment: 4096)
                + GoAway(code: .ok, message: "shutting down").frame()
        }
    }
}
