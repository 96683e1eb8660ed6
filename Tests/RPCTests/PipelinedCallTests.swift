import BinaryCoding
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

/// Many calls written at once on one connection: the server reads them as a batch, runs the short
/// ones on the reading thread and sends their answers together (ServerConnection.run). Whatever
/// the batching, every call gets its own complete answer, a slow call holds up none of the others,
/// and a client that does not read cannot make the server hold more than its limits.
@Suite struct PipelinedCallTests {
    /// Frames a client sends for one call, all written at once with the others.
    static func callStart(_ streamID: UInt32, _ method: MethodDescriptor, request: [UInt8]?) -> [UInt8] {
        FrameBuilder.frame(.callStart, flags: request == nil ? [] : [.hasMessage, .endStream], streamID: streamID) {
            CallStartHead(timeoutMicroseconds: 0, method: method.fullName, metadata: Metadata()).write(into: &$0)
            if let request { $0.append(contentsOf: request) }
        }
    }

    static func message(_ streamID: UInt32, _ bytes: [UInt8]?) -> [UInt8] {
        FrameBuilder.frame(.message, flags: bytes == nil ? .endStream : .hasMessage, streamID: streamID) {
            if let bytes { $0.append(contentsOf: bytes) }
        }
    }

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] { try BinaryEncoder().encode(value) }

    /// What came back for each stream: its messages and its status with the response message.
    struct Answers {
        var messages: [UInt32: [[UInt8]]] = [:]
        var statuses: [UInt32: (RPCError, [UInt8])] = [:]
    }

    /// Reads frames until every stream of `streamIDs` has its STATUS.
    static func readAnswers(_ raw: RawConnection, for streamIDs: Set<UInt32>, into answers: inout Answers) async throws {
        while !streamIDs.isSubset(of: Set(answers.statuses.keys)) {
            _ = try await readAnswer(raw, into: &answers)
        }
    }

    /// Reads frames until one of type `type` arrives.
    static func readAnswers(_ raw: RawConnection, until type: FrameType, into answers: inout Answers) async throws {
        while try await readAnswer(raw, into: &answers) != type {}
    }

    /// Reads one frame, recording it if it answers a call; returns its type.
    static func readAnswer(_ raw: RawConnection, into answers: inout Answers) async throws -> FrameType {
        let (header, payload) = try #require(try await raw.readFrame(), "the server closed the connection")
        switch header.type {
        case .message:
            answers.messages[header.streamID, default: []].append(payload)
        case .status:
            let (status, message) = try CallStatus.parse(payload[...])
            #expect(answers.statuses[header.streamID] == nil, "a second STATUS on stream \(header.streamID)")
            answers.statuses[header.streamID] = (status.error, Array(message))
        default:
            break
        }
        return header.type
    }

    @Test func pipelinedCallsInterleavedWithStreamsAreEachAnsweredCompletely() async throws {
        try await withTestServer { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            var batch: [UInt8] = []
            var echoes: [UInt32: String] = [:]
            var streamID: UInt32 = 1
            for index in 0..<120 {
                switch index {
                case 40:
                    batch += Self.callStart(streamID, TestService.count, request: try Self.encode(Number(value: 5)))
                case 80:
                    batch += Self.callStart(streamID, TestService.sum, request: nil)
                    for value in [Int64(3), 4, 5] { batch += Self.message(streamID, try Self.encode(Number(value: value))) }
                    batch += Self.message(streamID, nil)
                default:
                    echoes[streamID] = "call \(index)"
                    batch += Self.callStart(streamID, TestService.echo, request: try Self.encode(EchoRequest(text: "call \(index)")))
                }
                streamID += 2
            }
            // One write: the server finds many complete frames per read.
            try raw.write(batch)
            var answers = Answers()
            try await Self.readAnswers(raw, for: Set(echoes.keys).union([81, 161]), into: &answers)
            for (id, text) in echoes {
                let (status, message) = try #require(answers.statuses[id])
                #expect(status.code == .ok)
                #expect(try BinaryDecoder().decode(EchoResponse.self, from: message) == EchoResponse(text: text))
            }
            let counted = try (answers.messages[81] ?? []).map { try BinaryDecoder().decode(Number.self, from: $0).value }
            #expect(counted == [0, 1, 2, 3, 4])
            #expect(answers.statuses[81]?.0.code == .ok)
            let (sumStatus, sum) = try #require(answers.statuses[161])
            #expect(sumStatus.code == .ok)
            #expect(try BinaryDecoder().decode(Number.self, from: sum) == Number(value: 12))
        }
    }

    /// A slow call written among fast ones: the fast ones before it (whose answers the batch held
    /// back) and after it are all answered while it still runs, whether the method says it may wait
    /// long (handed to another thread at once) or not (the watchdog promotes a reader).
    @Test(arguments: [TestService.slowEcho, TestService.slowWrite])
    func aSlowCallAmongPipelinedOnesHoldsUpNoneOfThem(_ slow: MethodDescriptor) async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            var batch: [UInt8] = []
            for index in UInt32(0)..<11 {
                let method = index == 5 ? slow : TestService.echo
                batch += Self.callStart(2 * index + 1, method, request: try Self.encode(EchoRequest(text: "\(index)")))
            }
            try raw.write(batch)
            let fast = Set((UInt32(0)..<11).filter { $0 != 5 }.map { 2 * $0 + 1 })
            var answers = Answers()
            try await Self.readAnswers(raw, for: fast, into: &answers)
            #expect(answers.statuses[11] == nil)
            #expect(await probe.wait(for: "slow started"))
            probe.record("release slow")
            try await Self.readAnswers(raw, for: [11], into: &answers)
            let (status, message) = try #require(answers.statuses[11])
            #expect(status.code == .ok)
            #expect(try BinaryDecoder().decode(EchoResponse.self, from: message) == EchoResponse(text: "5"))
        }
    }

    /// 100 pipelined calls with 32 KiB answers each and a client that reads none of them: the
    /// server starts no call once its queue is at its limit, so it holds the answers of the calls
    /// that were running then instead of 3.2 MB of answers, and serves other connections meanwhile.
    @Test func aClientThatNeverReadsItsAnswersCannotMakeTheServerQueueThemAll() async throws {
        let limit = 64 * 1024
        let answerSize = 32 * 1024
        try await withTestServer(configure: { $0.maxQueuedBytesPerConnection = limit }) { server, channel in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            var batch: [UInt8] = []
            for index in UInt32(0)..<100 {
                batch += Self.callStart(2 * index + 1, TestService.fill, request: try Self.encode(Number(value: Int64(answerSize))))
            }
            try raw.write(batch)
            try await UnreadAnswersTests.waitUntilHeldBack(server)
            // What the calls that were running when the queue filled added past the limit, and
            // nothing of the calls the server did not start (UnreadAnswersTests).
            let answerFrame = FrameHeader.size + answerSize + 64
            let started = Int(server.callsEnded(.ok))
            #expect(started < 100)
            #expect(server.server.runtime.statistics.writeQueue.peakQueuedBytes <= limit + started * answerFrame)
            let other = try await channel.unary(TestService.echo, EchoRequest(text: "still serving"), as: EchoResponse.self)
            #expect(other.text == "still serving")
        }
    }

    /// Four client streams, each within its 16 KiB window, whose handler takes nothing yet: the
    /// fourth would take the connection past its 40 KiB budget and ends RESOURCE_EXHAUSTED alone;
    /// the others finish, and once their messages are taken a new stream fits again.
    @Test func clientStreamMessagesBufferedOnAConnectionStayWithinItsBudget() async throws {
        let probe = Probe()
        let budget = 40 * 1024
        try await withTestServer(probe: probe, configure: {
            $0.initialStreamWindow = 16 * 1024
            $0.maxBufferedClientStreamBytesPerConnection = budget
        }) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            let chunk = try Self.encode(EchoRequest(text: "chunk", padding: [UInt8](repeating: 7, count: 6000)))
            func stream(_ id: UInt32) -> [UInt8] {
                Self.callStart(id, TestService.stall, request: nil) + Self.message(id, chunk) + Self.message(id, chunk)
                    + Self.message(id, nil)
            }
            // The PING's answer comes after whatever the server made of the frames before it.
            let ping = FrameBuilder.frame(.ping, streamID: 0) { $0.append(contentsOf: [UInt8](repeating: 1, count: 8)) }
            try raw.write([1, 3, 5, 7].flatMap(stream) + ping)
            var answers = Answers()
            try await Self.readAnswers(raw, until: .pong, into: &answers)
            let refused = try #require(answers.statuses[7]?.0)
            #expect(refused.code == .resourceExhausted)
            #expect(refused.message.contains("would exceed \(budget) bytes"))
            #expect(answers.statuses.count == 1)
            probe.record("release stall")
            try await Self.readAnswers(raw, for: [1, 3, 5], into: &answers)
            for id: UInt32 in [1, 3, 5] {
                let (status, message) = try #require(answers.statuses[id])
                #expect(status.code == .ok)
                #expect(try BinaryDecoder().decode(Number.self, from: message) == Number(value: 2))
            }
            try raw.write(stream(9))
            try await Self.readAnswers(raw, for: [9], into: &answers)
            #expect(answers.statuses[9]?.0.code == .ok)
        }
    }

    /// A client stream whose client sends one message and then nothing, without ending its stream:
    /// the handler does not wait for ever (it may hold what others need, as an import holds the
    /// database's writer) but ends the call DEADLINE_EXCEEDED, and the connection serves on.
    @Test func aClientStreamWhoseClientFallsSilentEndsDeadlineExceeded() async throws {
        try await withTestServer(configure: { $0.clientStreamMessageTimeout = .milliseconds(200) }) { server, channel in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            try raw.write(Self.callStart(1, TestService.sum, request: nil) + Self.message(1, try Self.encode(Number(value: 2))))
            var answers = Answers()
            try await Self.readAnswers(raw, for: [1], into: &answers)
            let status = try #require(answers.statuses[1]?.0)
            #expect(status.code == .deadlineExceeded)
            #expect(status.message.contains("the client sent no message"))
            let other = try await channel.unary(TestService.echo, EchoRequest(text: "still serving"), as: EchoResponse.self)
            #expect(other.text == "still serving")
        }
    }
}
