import BinaryCoding
import TestSupport
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
import Testing

/// A unary handler that answers later (`Router.registerUnary(_:requirement:answeringLater:)`, as
/// a create handed to the group commit does): its connection's thread goes back to its socket at
/// once, and the answer, given from another thread, ends the call as the handler's own would.
@Suite struct LaterAnswerTests {
    /// The handler returns with its answer held elsewhere: the connection's one thread runs no call
    /// and serves the next one; the held answer, given from another thread, reaches its caller.
    @Test func theConnectionServesItsNextCallWhileAnAnswerIsHeld() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, channel in
            async let first = channel.unary(TestService.laterEcho, EchoRequest(text: "first"), as: EchoResponse.self)
            #expect(await probe.wait(for: "first handed on"))
            try await waitUntil("the handler to return") {
                server.server.runtime.connections.allSatisfy { !$0.runsInlineCall }
            }
            let next = try await channel.unary(TestService.echo, EchoRequest(text: "next"), as: EchoResponse.self)
            #expect(next.text == "next")
            // No second thread was needed: the first call's handler had returned (a handler that
            // waited for its answer would still hold the reader, and a follower would serve this).
            #expect(server.server.runtime.connections.map(\.threadCount) == [1])
            #expect(server.callsEnded(.ok) == 1)

            await onThread { probe.giveHeldAnswers() }
            #expect(try await first.text == "first")
            #expect(server.callsEnded(.ok) == 2)
        }
    }

    /// An answer given after the call's deadline ended it is discarded: the caller heard of the
    /// deadline only, and the connection goes on. (The server ends it at its own deadline, or at
    /// the client's CANCEL when that comes first on a loaded machine.)
    @Test func anAnswerAfterTheDeadlineIsDiscarded() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, channel in
            _ = try await channel.unary(TestService.echo, EchoRequest(text: "connect"), as: EchoResponse.self)
            let error = await #expect(throws: RPCError.self) {
                _ = try await channel.unary(TestService.laterEcho, EchoRequest(text: "late"), as: EchoResponse.self,
                                            options: CallOptions(timeout: .milliseconds(200)))
            }
            #expect(error?.code == .deadlineExceeded)
            try await waitUntil("the server to end the call") { server.callsEndedByDeadline == 1 }
            // (On a starved machine the deadline may pass before the handler ran: nothing is held then.)
            await onThread { probe.giveHeldAnswers() }
            let next = try await channel.unary(TestService.echo, EchoRequest(text: "next"), as: EchoResponse.self)
            #expect(next.text == "next")
            #expect(server.callsEnded(.ok) == 2 && server.callsEndedByDeadline == 1)
        }
    }

    /// A handler that drops its answer without giving it (a server bug) gets its call answered
    /// INTERNAL at once, not left to its deadline.
    @Test func aDroppedAnswerIsAnsweredInternal() async throws {
        try await withTestServer { _, channel in
            let error = await #expect(throws: RPCError.self) {
                _ = try await channel.unary(TestService.laterEcho, EchoRequest(text: "drop"), as: EchoResponse.self)
            }
            #expect(error?.code == .internalError)
            #expect(error?.message.contains("dropped the answer of test.v1.Test/LaterEcho") == true)
        }
    }
}
