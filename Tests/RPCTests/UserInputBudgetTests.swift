import TestSupport
import BinaryCoding
import Glibc
import Testing
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport

/// The budget of input bytes the server holds per OS user (`maxInputBytesPerUser`), on all its
/// connections together: frames being read and buffered client-stream messages. Past it only the
/// call that would pass it fails, its connection goes on, and another user is served.
@Suite struct UserInputBudgetTests {
    typealias Wire = PipelinedCallTests
    static let otherUser = PeerCredentials(uid: 5002, gid: 500, pid: 102)

    /// What the server holds for this process's uid now (every connection of a test server is ours).
    static func inputHeld(_ server: TestServer) -> Int {
        server.server.runtime.connections.first?.inputBudget.inUse ?? 0
    }

    static func ping() -> [UInt8] {
        FrameBuilder.frame(.ping, streamID: 0) { $0.append(contentsOf: [UInt8](repeating: 1, count: 8)) }
    }

    /// Connection A sends all but the last bytes of a 40 KiB CALL_START and stalls: the server
    /// holds its announced length against the user's 64 KiB. Connection B's own 40 KiB call would
    /// pass it: refused RESOURCE_EXHAUSTED naming the limit, its payload skipped, and B's next call
    /// is answered; another OS user sends the same call and is served. Once A's frame is complete
    /// both of its answers come, and B's large call fits again.
    @Test func aFrameBeingReadCountsAgainstItsUsersBudget() async throws {
        let budget = 64 * 1024
        try await withTestServer(configure: { $0.maxInputBytesPerUser = budget }) { server, _ in
            let large = try Wire.encode(EchoRequest(text: "large", padding: [UInt8](repeating: 9, count: 40 * 1024)))
            let a = try RawConnection(path: server.socketPath)
            defer { a.close() }
            let held = Wire.callStart(1, TestService.echo, request: large)
            try a.write(Array(held.dropLast(100)))
            try await waitUntil("the server reserved A's frame") { Self.inputHeld(server) >= 40 * 1024 }

            let b = try RawConnection(path: server.socketPath)
            defer { b.close() }
            try b.write(Wire.callStart(1, TestService.echo, request: large)
                        + Wire.callStart(3, TestService.echo, request: try Wire.encode(EchoRequest(text: "small"))))
            var answers = Wire.Answers()
            try await Wire.readAnswers(b, for: [1, 3], into: &answers)
            let refused = try #require(answers.statuses[1]?.0)
            #expect(refused.code == .resourceExhausted)
            #expect(refused.message.contains("would take the input held for uid \(getuid()) past its limit of \(budget) bytes"),
                    "\(refused.message)")
            #expect(answers.statuses[3]?.0.code == .ok)

            let other = server.channel(as: Self.otherUser)
            defer { other.close() }
            let otherAnswer = try await other.unary(
                TestService.echo, EchoRequest(text: "other user", padding: [UInt8](repeating: 9, count: 40 * 1024)), as: EchoResponse.self)
            #expect(otherAnswer.text == "other user")

            try a.write(Array(held.suffix(100)))
            var answersOfA = Wire.Answers()
            try await Wire.readAnswers(a, for: [1], into: &answersOfA)
            #expect(answersOfA.statuses[1]?.0.code == .ok)
            // A's request was given back before its STATUS was written, so B's large call fits at
            // once. (Held for this uid: the other user's connection has a budget of its own.)
            #expect(server.server.runtime.connections.filter { $0.peer.uid == getuid() }.allSatisfy { $0.inputBudget.inUse == 0 })
            try b.write(Wire.callStart(5, TestService.echo, request: large))
            try await Wire.readAnswers(b, for: [5], into: &answers)
            #expect(answers.statuses[5]?.0.code == .ok)
        }
    }

    /// Client streams on two connections of one user whose handler takes nothing yet: each
    /// connection is far within its own budget, but the user's 30 000 bytes are passed by the fifth
    /// 6 KiB message, whose call alone ends RESOURCE_EXHAUSTED; once the others are taken, a new
    /// stream fits again.
    @Test func clientStreamMessagesOfAllTheUsersConnectionsShareItsBudget() async throws {
        let probe = Probe()
        let budget = 30_000
        try await withTestServer(probe: probe, configure: {
            $0.initialStreamWindow = 16 * 1024
            $0.maxInputBytesPerUser = budget
        }) { server, _ in
            let chunk = try Wire.encode(EchoRequest(text: "chunk", padding: [UInt8](repeating: 7, count: 6000)))
            func stream(_ id: UInt32) -> [UInt8] {
                Wire.callStart(id, TestService.stall, request: nil) + Wire.message(id, chunk) + Wire.message(id, chunk)
                    + Wire.message(id, nil)
            }
            let a = try RawConnection(path: server.socketPath)
            defer { a.close() }
            var answersOfA = Wire.Answers()
            try a.write(stream(1) + Self.ping())
            try await Wire.readAnswers(a, until: .pong, into: &answersOfA)

            let b = try RawConnection(path: server.socketPath)
            defer { b.close() }
            var answers = Wire.Answers()
            // The PING's answer comes after whatever the server made of the frames before it.
            try b.write(stream(1) + stream(3) + Self.ping())
            try await Wire.readAnswers(b, until: .pong, into: &answers)
            let refused = try #require(answers.statuses[3]?.0)
            #expect(refused.code == .resourceExhausted)
            #expect(refused.message.contains("buffered for uid \(getuid()) would take its input held past its limit of \(budget) bytes"),
                    "\(refused.message)")
            #expect(answers.statuses.count == 1)
            #expect(answersOfA.statuses.isEmpty)

            probe.record("release stall")
            try await Wire.readAnswers(a, for: [1], into: &answersOfA)
            try await Wire.readAnswers(b, for: [1], into: &answers)
            for status in [answersOfA.statuses[1], answers.statuses[1]] {
                let (error, message) = try #require(status)
                #expect(error.code == .ok)
                #expect(try BinaryDecoder().decode(Number.self, from: message) == Number(value: 2))
            }
            try b.write(stream(5))
            try await Wire.readAnswers(b, for: [5], into: &answers)
            #expect(answers.statuses[5]?.0.code == .ok)
        }
    }

    /// Unary calls of 24 KiB requests whose handler holds them (until the test releases them): the
    /// two running keep their requests charged to the user's 64 KiB, so a third is refused
    /// RESOURCE_EXHAUSTED naming the limit (before: a request was charged only while its frame was
    /// read, and any number of them could be held at once); once they ended, the charge is given
    /// back and a call as large is served.
    @Test func requestsOfUnaryCallsStayChargedWhileTheirHandlersRun() async throws {
        let probe = Probe()
        let budget = 64 * 1024
        try await withTestServer(probe: probe, configure: { $0.maxInputBytesPerUser = budget }) { server, _ in
            let large = try Wire.encode(EchoRequest(text: "large", padding: [UInt8](repeating: 9, count: 24 * 1024)))
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            try raw.write(Wire.callStart(1, TestService.slowEcho, request: large)
                          + Wire.callStart(3, TestService.slowEcho, request: large))
            try await waitUntil("both held requests charged") { Self.inputHeld(server) >= 2 * 24 * 1024 }
            #expect(await probe.wait(for: "slow started"))
            try raw.write(Wire.callStart(5, TestService.echo, request: large))
            var answers = Wire.Answers()
            try await Wire.readAnswers(raw, for: [5], into: &answers)
            let refused = try #require(answers.statuses[5]?.0)
            #expect(refused.code == .resourceExhausted)
            #expect(refused.message.contains("would take the input held for uid \(getuid()) past its limit of \(budget) bytes")
                    && refused.message.contains("requests of calls running"), "\(refused.message)")

            probe.record("release slow")
            try await Wire.readAnswers(raw, for: [1, 3], into: &answers)
            #expect(answers.statuses[1]?.0.code == .ok && answers.statuses[3]?.0.code == .ok)
            try await waitUntil("the held requests' charge given back") { Self.inputHeld(server) == 0 }
            try raw.write(Wire.callStart(7, TestService.echo, request: large))
            try await Wire.readAnswers(raw, for: [7], into: &answers)
            #expect(answers.statuses[7]?.0.code == .ok)
        }
    }

    /// A handler that answers, then has more to do before it returns (a group commit's leader
    /// answers its group, itself among them): its 40 KiB request is given back before its answer
    /// is written, so the user's next 40 KiB call, sent on that answer on another connection while
    /// the handler still runs, fits the 64 KiB budget and is served (before: the charge was kept
    /// until the call was let go, after its STATUS, and that call was refused RESOURCE_EXHAUSTED).
    @Test func aRequestIsGivenBackBeforeItsAnswerIsSent() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: { $0.maxInputBytesPerUser = 64 * 1024 }) { server, channel in
            let padding = [UInt8](repeating: 9, count: 40 * 1024)
            let first = try await channel.unary(TestService.answerFirst, EchoRequest(text: "first", padding: padding),
                                                as: EchoResponse.self)
            #expect(first.text == "first")
            #expect(Self.inputHeld(server) == 0)
            let other = server.channel()
            defer { other.close() }
            let next = try await other.unary(TestService.echo, EchoRequest(text: "next", padding: padding), as: EchoResponse.self)
            #expect(next.text == "next")
            #expect(!probe.recorded.contains("answered first returned"))
            probe.record("release answered")
            #expect(await probe.wait(for: "answered first returned"))
        }
    }

    /// The ordinary sequential client: 40 KiB calls, each sent as soon as the previous answer came,
    /// against a 64 KiB budget that admits one at a time: every one is served, and the moment each
    /// answer is in, nothing is held for the user any more (before: the request stayed charged
    /// until the server's thread let its call go, after the STATUS; on a busy CPU the next call
    /// was sometimes refused RESOURCE_EXHAUSTED).
    @Test func eachLargeCallFitsOnThePreviousAnswer() async throws {
        try await withTestServer(configure: { $0.maxInputBytesPerUser = 64 * 1024 }) { server, channel in
            let padding = [UInt8](repeating: 9, count: 40 * 1024)
            for index in 0..<50 {
                let answer = try await channel.unary(TestService.echo, EchoRequest(text: "\(index)", padding: padding),
                                                     as: EchoResponse.self)
                #expect(answer.text == "\(index)")
                #expect(Self.inputHeld(server) == 0, "call \(index)")
            }
        }
    }
}
