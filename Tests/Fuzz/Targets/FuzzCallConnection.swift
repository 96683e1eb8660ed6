import CustomerAPI
import RPCCore
@_spi(Fuzzing) import RPCTransport

/// A fuzzing client's connection to a real server (over a socket or an in-process pair): it writes
/// the frames itself, so a request's bytes reach the server exactly as the input has them. Its owner
/// serialises the calls.
struct FuzzCallConnection {
    /// How long a call's answer may take before the target reports a hang (libFuzzer's own
    /// `-timeout` is 60 s; this bounds the replays of the test suite too).
    static let answerLimit: Duration = .seconds(120)

    /// The deadline a fuzzed call of `method` sends: a watch runs until cancelled, so its deadline
    /// ends it, soon, with DEADLINE_EXCEEDED (each input reaching it took 30 s, and a corpus holding a
    /// few such inputs spent a whole run replaying them); every other call 30 s.
    static func timeoutMicroseconds(for method: String) -> UInt64 {
        method == ChangeFeedService.watchChanges.descriptor.fullName ? 50_000 : 30_000_000
    }

    /// How a call ended for the client, as far as it read.
    enum Ending {
        /// The call's STATUS: its error (nil for OK) and the response message it carried.
        case status(RPCError?, response: [UInt8])
        /// The server sent the number of messages the reader asked to stop after.
        case stopped
        /// The connection ended first (a GOAWAY, or the server closed it) or broke: how.
        case closed(String)
    }

    private let stream: any ByteStream
    private var reader = FrameReader(maxFrameSize: 1 << 24)
    private var nextStreamID: UInt32 = 1
    /// After `halfClose()` no credit can be returned: the HELLO's 16 MiB window must do (PROTOCOL.md 11).
    private var isHalfClosed = false

    /// Sends the magic and the HELLO on `stream`.
    init(stream: any ByteStream) throws {
        self.stream = stream
        try send(WireFuzzing.clientPreamble())
    }

    /// Whether the stream ids are nearly used up (a new connection is then due).
    var isWorn: Bool { nextStreamID > 1 << 30 }

    /// A stream id no call of this connection used yet.
    mutating func newStreamID() -> UInt32 {
        defer { nextStreamID += 1 }
        return nextStreamID
    }

    /// Calls `method` with `message` (in CALL_START, ending the client's side) and returns its
    /// STATUS; streamed answers get their credit back. nil: the connection ended first (a GOAWAY,
    /// or the server closed it) or broke; the caller decides whether that is a finding.
    mutating func call(method: String, message: some Sequence<UInt8>, metadata: [(String, String)] = [],
                       timeoutMicroseconds: UInt64) -> RPCError? {
        guard case .status(let error, _) = unary(method: method, message: message, metadata: metadata,
                                                 timeoutMicroseconds: timeoutMicroseconds) else { return nil }
        return error
    }

    /// As `call`, with the response message of an OK STATUS.
    mutating func unary(method: String, message: some Sequence<UInt8>, metadata: [(String, String)] = [],
                        timeoutMicroseconds: UInt64) -> Ending {
        let streamID = newStreamID()
        do {
            try send(WireFuzzing.callStart(method: method, message: message, streamID: streamID, metadata: metadata,
                                           timeoutMicroseconds: timeoutMicroseconds))
            return try awaitEnd(of: streamID)
        } catch {
            return .closed("\(error)")
        }
    }

    /// Writes `bytes` as they are (frames, or a part of one).
    func send(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try stream.writeAll($0) }
    }

    /// Reads until `streamID`'s STATUS, or until the server has sent `stopAfterMessages` messages on
    /// it; every message gets its credit back.
    mutating func awaitEnd(of streamID: UInt32, stopAfterMessages: Int? = nil) throws -> Ending {
        var messages = 0
        while true {
            while let event = try reader.next() {
                guard case .frame(let header, let range) = event else { return .closed("an oversized frame") }
                switch header.type {
                case .status where header.streamID == streamID:
                    let (status, response) = try CallStatus.parse(reader.payload(in: range))
                    return .status(status.error, response: Array(response))
                case .message:
                    if !isHalfClosed {
                        try send(WireFuzzing.windowUpdate(streamID: header.streamID,
                                                          increment: UInt32(FrameHeader.cost(ofPayload: range.count))))
                    }
                    if header.streamID == streamID {
                        messages += 1
                        if let stopAfterMessages, messages >= stopAfterMessages { return .stopped }
                    }
                case .goAway:
                    let away = try GoAway(payload: reader.payload(in: range))
                    return .closed("GOAWAY \(away.code): \(away.message)")
                default:
                    break
                }
            }
            let stream = stream
            let count = try reader.fill { try stream.read(into: $0, timeout: Self.answerLimit) }
            guard count > 0 else { return .closed("the server closed the connection") }
        }
    }

    /// Reads (and drops) what the server still sends until it ends the connection; false when it
    /// has not within `answerLimit` (a hang) or the stream broke.
    mutating func readUntilClosed() -> Bool {
        let stream = stream
        do {
            while true {
                while try reader.next() != nil {}
                let count = try reader.fill { try stream.read(into: $0, timeout: Self.answerLimit) }
                if count == 0 { return true }
            }
        } catch {
            return false
        }
    }

    /// Stops writing (`shutdown(SHUT_WR)` on a socket): the server reads the end of its input.
    mutating func halfClose() {
        isHalfClosed = true
        stream.shutdown(.writing)
    }

    /// Ends the connection both ways and releases the stream.
    func close() {
        stream.shutdown(.both)
        stream.close()
    }
}
