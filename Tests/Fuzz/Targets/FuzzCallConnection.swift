import RPCCore
@_spi(Fuzzing) import RPCTransport

/// A fuzzing client's connection to a real server (over a socket or an in-process pair): it writes
/// the frames itself, so a request's bytes reach the server exactly as the input has them, one call
/// at a time. Its owner serialises the calls.
struct FuzzCallConnection {
    /// How long a call's answer may take before the target reports a hang (libFuzzer's own
    /// `-timeout` is 60 s; this bounds the replays of the test suite too).
    static let answerLimit: Duration = .seconds(120)

    private let stream: any ByteStream
    private var reader = FrameReader(maxFrameSize: 1 << 24)
    private var nextStreamID: UInt32 = 1

    /// Sends the magic and the HELLO on `stream`.
    init(stream: any ByteStream) throws {
        self.stream = stream
        try write(WireFuzzing.clientPreamble())
    }

    /// Whether the stream ids are nearly used up (a new connection is then due).
    var isWorn: Bool { nextStreamID > 1 << 30 }

    /// Calls `method` with `message` (in CALL_START, ending the client's side) and returns its
    /// STATUS; streamed answers get their credit back. nil: the connection ended first (a GOAWAY,
    /// or the server closed it) or broke; the caller decides whether that is a finding.
    mutating func call(method: String, message: some Sequence<UInt8>, metadata: [(String, String)] = [],
                       timeoutMicroseconds: UInt64) -> RPCError? {
        let streamID = nextStreamID
        nextStreamID += 1
        do {
            try write(WireFuzzing.callStart(method: method, message: message, streamID: streamID, metadata: metadata,
                                            timeoutMicroseconds: timeoutMicroseconds))
            return try awaitStatus(streamID: streamID)
        } catch {
            return nil
        }
    }

    /// Ends the connection both ways and releases the stream.
    func close() {
        stream.shutdown(.both)
        stream.close()
    }

    private func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try stream.writeAll($0) }
    }

    private mutating func awaitStatus(streamID: UInt32) throws -> RPCError? {
        while true {
            while let event = try reader.next() {
                guard case .frame(let header, let range) = event else { return nil }
                switch header.type {
                case .status where header.streamID == streamID:
                    return try CallStatus.parse(reader.payload(in: range)).0.error
                case .message:
                    try write(WireFuzzing.windowUpdate(streamID: header.streamID,
                                                       increment: UInt32(FrameHeader.cost(ofPayload: range.count))))
                case .goAway:
                    return nil
                default:
                    break
                }
            }
            let stream = stream
            let count = try reader.fill { try stream.read(into: $0, timeout: Self.answerLimit) }
            guard count > 0 else { return nil }
        }
    }
}
