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
    /// two more threads one each, the rest wait unread; another connection of the same user is
    /// served meanwhile, and once the calls may end every one is answered and the share given back.
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
            #expect(connection.threadCount <= 3)
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
}
