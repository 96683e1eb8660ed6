import TestSupport
import Testing
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport

/// The share of threads one OS user's unary calls may keep from reading (`maxUnaryThreadsPerUser`):
/// calls that wait (for a database reader, for the writer) no longer take a thread each. Before,
/// the watchdog promoted a new reader behind every such call, which started the next one: one
/// user's 100 connections of 2 000 unread listings, all waiting for the 4 database readers, held
/// 7 000 to 8 200 threads (docs/HARDENING.md, "Threads per user").
@Suite struct UnaryThreadBudgetTests {
    static let calls = 20

    /// 20 pipelined calls that wait, on one connection, with a share of 2: the leader runs one and
    /// two more threads one each, the rest wait (read by one more reader, run one after another
    /// once those end); another connection of the same user is served meanwhile, and once the calls
    /// may end every one is answered and the share given back.
    @Test func callsThatWaitTakeNoThreadEachPastTheUsersShare() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: { $0.maxUnaryThreadsPerUser = 2 }) { server, channel in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            var batch: [UInt8] = []
            for index in 0..<Self.calls {
                batch += PipelinedCallTests.callStart(UInt32(2 * index + 1), TestService.slowEcho,
                                                      request: try PipelinedCallTests.encode(EchoRequest(text: "\(index)")))
            }
            try raw.write(batch)
            #expect(await probe.wait(for: "slow started", count: 3))
            // Time for the watchdog to promote more readers, were it to (0.5 ms a call): a starved
            // machine can only make this pass on a server that does, never fail on one that does not.
            try await Task.sleep(for: .milliseconds(500))
            let started = probe.recorded.filter { $0 == "slow started" }.count
            #expect(started == 3, "\(started) of the calls that wait run on a thread each")
            // The raw connection: the channel's has run no call yet.
            let connection = try #require(server.server.runtime.connections.max { $0.threadCount < $1.threadCount })
            // The three running calls' threads and the reader that reads on behind them.
            #expect(connection.threadCount <= 4)
            #expect(connection.unaryThreadBudget.inUse == 2)

            let other = try await channel.unary(TestService.echo, EchoRequest(text: "still serving"), as: EchoResponse.self)
            #expect(other.text == "still serving")

            probe.record("release slow")
            var answers = PipelinedCallTests.Answers()
            let streamIDs = Set((0..<Self.calls).map { UInt32(2 * $0 + 1) })
            try await PipelinedCallTests.readAnswers(raw, for: streamIDs, into: &answers)
            #expect(streamIDs.allSatisfy { answers.statuses[$0]?.0.code == .ok })
            try await waitUntil("the share is given back") { connection.unaryThreadBudget.inUse == 0 }
        }
    }

    /// Past the share a connection's unary call ran on its reader, so nothing read behind it: a
    /// PING was answered, and a CANCEL of the call read, only once the call had ended (here: never,
    /// until the test released it). Now a reader reads on: the PING is answered and the CANCEL
    /// ends the call while it runs, and the call sent after it runs once it has ended.
    @Test func pastTheShareAPingAndACancelBehindARunningCallAreRead() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: { $0.maxUnaryThreadsPerUser = 1 }) { server, _ in
            func slow(_ streamID: UInt32, _ text: String) throws -> [UInt8] {
                PipelinedCallTests.callStart(streamID, TestService.slowEcho, request: try PipelinedCallTests.encode(EchoRequest(text: text)))
            }
            // The user's share: a reader promoted behind one connection's first call runs its second.
            let holder = try RawConnection(path: server.socketPath)
            defer { holder.close() }
            try holder.write(try slow(1, "a") + slow(3, "b"))
            #expect(await probe.wait(for: "slow started", count: 2))
            let runtime = server.server.runtime
            try await waitUntil("the share is taken") { runtime.connections.contains { $0.unaryThreadBudget.inUse == 1 } }

            let before = Set(runtime.connections.map(ObjectIdentifier.init))
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            try raw.write(try slow(1, "c"))
            #expect(await probe.wait(for: "slow started", count: 3))
            try raw.write(FrameBuilder.frame(.ping, streamID: 0) { $0.append(contentsOf: [1, 2, 3, 4, 5, 6, 7, 8]) })
            var answers = PipelinedCallTests.Answers()
            try await PipelinedCallTests.readAnswers(raw, until: .pong, into: &answers)

            try raw.write(FrameBuilder.frame(.cancel, streamID: 1)
                          + PipelinedCallTests.callStart(3, TestService.echo, request: try PipelinedCallTests.encode(EchoRequest(text: "after"))))
            try await PipelinedCallTests.readAnswers(raw, for: [3], into: &answers)
            #expect(answers.statuses[3]?.0.code == .ok)
            #expect(answers.statuses[1] == nil, "a cancelled call is not answered")
            #expect(!probe.recorded.contains("release slow"))
            // Its reader, the thread that ran the cancelled call, and at most an idle follower.
            let connection = try #require(runtime.connections.first { !before.contains(ObjectIdentifier($0)) })
            #expect(connection.threadCount <= 3)

            probe.record("release slow")
            var held = PipelinedCallTests.Answers()
            try await PipelinedCallTests.readAnswers(holder, for: [1, 3], into: &held)
            #expect(held.statuses[1]?.0.code == .ok && held.statuses[3]?.0.code == .ok)
        }
    }
}
