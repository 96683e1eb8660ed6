import BinaryCoding
import RPCCore

/// The head of a CALL_START payload; the request message (flag HAS_MESSAGE) follows it.
package struct CallStartHead: Sendable, Equatable {
    package static let maxMethodLength = 1024

    /// Relative deadline in microseconds; 0 means none.
    package var timeoutMicroseconds: UInt64
    package var method: String
    package var metadata: Metadata

    package init(timeoutMicroseconds: UInt64, method: String, metadata: Metadata) {
        self.timeoutMicroseconds = timeoutMicroseconds
        self.method = method
        self.metadata = metadata
    }

    package func write(into buffer: inout [UInt8]) {
        buffer.appendVarint(timeoutMicroseconds)
        buffer.appendLengthPrefixed(method)
        metadata.write(into: &buffer)
    }

    /// Parses the head; `message` is the rest of the payload.
    package static func parse(_ payload: ArraySlice<UInt8>) throws(ProtocolViolation) -> (CallStartHead, message: ArraySlice<UInt8>) {
        let raw = try parseLeavingName(payload)
        return (CallStartHead(timeoutMicroseconds: raw.timeoutMicroseconds, method: try methodName(raw.methodName),
                              metadata: raw.metadata), raw.message)
    }

    /// The method name of ``parseLeavingName(_:)``'s bytes, refused unless valid UTF-8.
    package static func methodName(_ bytes: ArraySlice<UInt8>) throws(ProtocolViolation) -> String {
        try ByteReader.text(bytes, "method name")
    }

    /// The head with the method name left as its bytes (not yet checked to be UTF-8): a server
    /// compares them with the name of the connection's previous call instead of building a String
    /// per call (``parse(_:)`` checks and converts them).
    package static func parseLeavingName(_ payload: ArraySlice<UInt8>) throws(ProtocolViolation)
        -> (timeoutMicroseconds: UInt64, methodName: ArraySlice<UInt8>, metadata: Metadata, message: ArraySlice<UInt8>) {
        var reader = ByteReader(payload)
        let timeout = try reader.readVarint("timeout")
        let name = try reader.readLengthPrefixedBytes("method name", limit: maxMethodLength)
        let metadata = try Metadata.read(from: &reader)
        return (timeout, name, metadata, reader.readRest())
    }
}

/// The STATUS payload: code, message, details, trailers; the final response message (flag HAS_MESSAGE) follows.
package struct CallStatus: Sendable, Equatable {
    package static let maxMessageLength = 64 * 1024
    /// What a sender writes of a message at most: well inside the smallest max frame size a peer
    /// may announce (16 KiB), so a STATUS or GOAWAY always fits beside its details.
    package static let maxSentMessageLength = 4 * 1024

    /// What a sender writes of the details at most: the UTF-8 bytes of every field and reason plus
    /// `detailOverhead` per detail. With the 4 KiB message, a STATUS still fits the smallest max
    /// frame size a peer may announce (16 KiB), whatever a handler echoed of the caller's input.
    package static let maxSentDetailsLength = 8 * 1024
    /// What one detail counts beyond its texts: it bounds the encoding's tags and lengths, so that
    /// thousands of empty details cannot pass the limit either.
    package static let detailOverhead = 16

    /// `text` cut to at most `maxSentMessageLength` UTF-8 bytes, at a Unicode scalar boundary so
    /// that the cut never makes the whole message invalid UTF-8.
    package static func sendable(_ text: String) -> String {
        cut(text, toUTF8Count: maxSentMessageLength)
    }

    /// `details` within `maxSentDetailsLength`: kept in order while they fit, the first one that does
    /// not fit cut (field first, then reason, each at a Unicode scalar boundary), the rest dropped.
    package static func sendable(_ details: [ErrorDetail]) -> [ErrorDetail] {
        var budget = maxSentDetailsLength
        var kept: [ErrorDetail] = []
        for detail in details {
            guard budget > detailOverhead else { break }
            budget -= detailOverhead
            let field = cut(detail.field, toUTF8Count: budget)
            budget -= field.utf8.count
            let reason = cut(detail.reason, toUTF8Count: budget)
            budget -= reason.utf8.count
            kept.append(ErrorDetail(field: field, reason: reason))
        }
        return kept
    }

    /// `text` cut to at most `limit` UTF-8 bytes, at a Unicode scalar boundary.
    static func cut(_ text: String, toUTF8Count limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let scalars = text.unicodeScalars
        var end = scalars.startIndex
        var bytes = 0
        for index in scalars.indices {
            bytes += UTF8.width(scalars[index])
            if bytes > limit { break }
            end = scalars.index(after: index)
        }
        return String(scalars[..<end])
    }

    package var error: RPCError

    package init(error: RPCError) { self.error = error }

    package static let ok = CallStatus(error: RPCError(.ok, ""))

    /// `ok`'s payload as ``write(into:)`` writes it (code, empty message, no details, no
    /// trailers): what a server appends for each call answered OK, without an `RPCError`.
    package static let okPayload: [UInt8] = {
        var payload: [UInt8] = []
        ok.write(into: &payload)
        return payload
    }()

    package func write(into buffer: inout [UInt8]) {
        buffer.append(error.code.rawValue)
        buffer.appendLengthPrefixed(Self.sendable(error.message))
        if error.details.isEmpty {
            buffer.appendVarint(0)
        } else {
            // Details are a BinaryCoding message; encoding plain strings cannot fail, and if it
            // ever did the status would still go out, without details.
            buffer.appendLengthPrefixed((try? BinaryEncoder().encode(StatusDetails(details: Self.sendable(error.details)))) ?? [])
        }
        error.trailers.write(into: &buffer)
    }

    package static func parse(_ payload: ArraySlice<UInt8>) throws(ProtocolViolation) -> (CallStatus, message: ArraySlice<UInt8>) {
        var reader = ByteReader(payload)
        let code = StatusCode(wireValue: try reader.readByte("status code"))
        let message = try reader.readString("status message", limit: maxMessageLength)
        let detailBytes = try reader.readLengthPrefixedBytes("status details", limit: maxMessageLength)
        var details: [ErrorDetail] = []
        if !detailBytes.isEmpty {
            do {
                details = try BinaryDecoder().decode(StatusDetails.self, from: Array(detailBytes)).details
            } catch {
                throw ProtocolViolation("status details do not decode: \(error)")
            }
        }
        let trailers = try Metadata.read(from: &reader)
        return (CallStatus(error: RPCError(code, message, details: details, trailers: trailers)), reader.readRest())
    }
}

/// The BinaryCoding message carried in a STATUS frame's details field.
package struct StatusDetails: Codable, Sendable {
    package var details: [ErrorDetail]

    enum CodingKeys: Int, CodingKey {
        case details = 1
    }
}

/// GOAWAY payload: why the connection stops taking calls (OK for a graceful shutdown or an idle
/// close), and the highest stream id of a call the sender started on it (PROTOCOL.md section 5.4).
package struct GoAway: Sendable, Equatable {
    package var code: StatusCode
    package var message: String
    /// Every call with a higher stream id was not started and never will be on this connection, so
    /// it may be sent again elsewhere without being done twice. Nil when the payload ends after the
    /// message (a peer built before the field existed): then it says nothing about which calls ran.
    package var lastStartedStreamID: UInt32?

    package func frame() -> [UInt8] {
        FrameBuilder.frame(.goAway, streamID: 0) { buffer in
            buffer.append(code.rawValue)
            buffer.appendLengthPrefixed(CallStatus.sendable(message))
            buffer.appendBigEndian(lastStartedStreamID ?? 0)
        }
    }

    /// A GOAWAY sent before any call could start (a refused handshake) says so with 0.
    package init(code: StatusCode, message: String, lastStartedStreamID: UInt32 = 0) {
        self.code = code
        self.message = message
        self.lastStartedStreamID = lastStartedStreamID
    }

    /// Bytes after the fields read here are ignored: a later version may append fields.
    package init(payload: ArraySlice<UInt8>) throws(ProtocolViolation) {
        var reader = ByteReader(payload)
        code = StatusCode(wireValue: try reader.readByte("goaway code"))
        message = try reader.readString("goaway message", limit: CallStatus.maxMessageLength)
        lastStartedStreamID = reader.remaining == 0 ? nil : try reader.readBigEndianUInt32("goaway last started stream id")
    }
}

/// WINDOW_UPDATE payload: the credit (in frame bytes) the receiver returns for one stream.
package enum WindowUpdate {
    package static func append(streamID: UInt32, increment: UInt32, to buffer: inout [UInt8]) {
        FrameBuilder.append(.windowUpdate, streamID: streamID, to: &buffer) { $0.appendBigEndian(increment) }
    }

    package static func parse(_ payload: ArraySlice<UInt8>) throws(ProtocolViolation) -> UInt32 {
        var reader = ByteReader(payload)
        let increment = try reader.readBigEndianUInt32("window increment")
        try reader.expectEnd("WINDOW_UPDATE")
        return increment
    }
}
