import TestSupport
import Foundation
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

/// Tasks that prefer their channel's executor resume on its reader thread, which writes their next
/// calls in batches (ChannelExecutor, ClientConnection+Batching): answers must still reach the
/// right caller, in stream-id order on the wire, and cancellation, deadlines and a lost connection
/// must still end every call.
@Suite(.timeLimit(.minutes(10))) struct ChannelExecutorTests {
    /// With the preference, the tasks' next calls are written by the reader thread's jobs; without
    /// it, by pool threads, whose frames join the reader's batch while it delivers a read's answers.
    @Test(arguments: [true, false])
    func manyPipelinedTasksEachGetTheirOwnAnswers(preferringTheExecutor: Bool) async throws {
        try await withTestServer { _, channel in
            // The server ends the connection if a CALL_START's stream id is not above every earlier
            // one: a batch written out of order would fail these calls with UNAVAILABLE.
            let wrong = try await Self.echoInLoops(on: channel, tasks: 64, rounds: 40,
                                                   preferring: preferringTheExecutor ? channel.executor : nil)
            #expect(wrong == [])
            // Calls without the preference still work beside them.
            let plain = try await channel.unary(TestService.echo, EchoRequest(text: "plain"), as: EchoResponse.self)
            #expect(plain.text == "plain")
        }
    }

    /// `tasks` tasks, each making `rounds` echo calls in a loop on `channel` (pipelined on its one
    /// connection), preferring `executor`; returns the answers that were not their call's.
    static func echoInLoops(on channel: ClientChannel, tasks: Int, rounds: Int,
                            preferring executor: (any TaskExecutor)?) async throws -> [String] {
        try await withThrowingTaskGroup(of: [String].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    try await withTaskExecutorPreference(executor) {
                        var wrong: [String] = []
                        for call in 0..<rounds {
                            let text = "\(task).\(call)"
                            let answer = try await channel.unary(TestService.echo, EchoRequest(text: text), as: EchoResponse.self)
                            if answer.text != text { wrong.append("\(text) answered \(answer.text)") }
                        }
                        return wrong
                    }
                }
            }
            var all: [String] = []
            for try await part in group { all += part }
            return all
        }
    }

    @Test func cancellingATaskThatPrefersTheExecutorCancelsItsCall() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { _, channel in
            let task = Task {
                try await withTaskExecutorPreference(channel.executor) {
                    try await channel.unary(TestService.waitForCancel, EchoRequest(text: "pinned"), as: EchoResponse.self)
                }
            }
            #expect(await probe.wait(for: "pinned started"))
            task.cancel()
            let error = await rpcError { _ = try await task.value }
            #expect(error?.code == .cancelled)
            #expect(await probe.wait(for: "pinned saw cancellation"))
        }
    }

    @Test func aDeadlineEndsACallOfATaskThatPrefersTheExecutor() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, channel in
            // Open the connection first, so the 200 ms are the call's (see UnaryCallTests).
            _ = try await channel.unary(TestService.echo, EchoRequest(text: "open"), as: EchoResponse.self)
            let error = await rpcError {
                try await withTaskExecutorPreference(channel.executor) {
                    _ = try await channel.unary(TestService.waitForCancel, EchoRequest(text: "late"), as: EchoResponse.self,
                                                options: CallOptions(timeout: .milliseconds(200)))
                }
            }
            #expect(error?.code == .deadlineExceeded)
            try await waitUntil("the server to end the call") { server.callsEndedByDeadline == 1 }
            #expect(await probe.waitIfStarted("late started", for: "late saw cancellation"))
        }
    }

    @Test func aServerThatClosesMidCallEndsEveryPinnedTaskWithUnavailable() async throws {
        let (client, server) = InProcessStream.pair(clientCredentials: PeerCredentials(uid: 1, gid: 1, pid: 1),
                                                    serverCredentials: PeerCredentials(uid: 0, gid: 0, pid: 1))
        let channel = ClientChannel(name: "closing server") { () throws(IOError) -> any ByteStream in client }
        defer { channel.close() }
        let served = ThreadTask { (try? BlockingCallTests.serveThenClose(server, afterCalls: 8)) ?? -1 }
        // The reader thread resumes these tasks as the connection ends; they run on it before it exits.
        let codes = await withTaskGroup(of: StatusCode.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let error = await rpcError {
                        try await withTaskExecutorPreference(channel.executor) {
                            _ = try await channel.unary(TestService.echo, EchoRequest(text: "\(index)"), as: EchoResponse.self)
                        }
                    }
                    return error?.code ?? .ok
                }
            }
            var codes: [StatusCode] = []
            for await code in group { codes.append(code) }
            return codes
        }
        #expect(try await served.value == 8)
        #expect(codes == [StatusCode](repeating: .unavailable, count: 8))
    }
}
