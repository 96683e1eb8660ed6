import TestSupport
import Foundation
import Glibc
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

@Suite struct SignalShutdownTests {
    /// True once a handler other than the default is installed for `number`.
    static func handlerInstalled(_ number: Int32) -> Bool {
        var current = sigaction()
        sigaction(number, nil, &current)
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) != 0
    }

    @Test func sigtermShutsDownGracefullyAndReturnsZero() async throws {
        let probe = Probe()
        // The grace period outlasts the test's own waits: on a busy machine the steps between the
        // SIGTERM and releasing the slow call took longer than the default 10 s, and the server then
        // rightly cancelled the call this test expects to finish (a busy CI run).
        let server = try TestServer.start(probe: probe) { $0.shutdownGracePeriod = .seconds(Int64(testWaitLimit)) }
        let channel = server.channel()
        // A thread started at once, not `async let` (a test that fails before the SIGTERM would wait
        // on leaving its scope for a server that never returns) nor `Task { await onThread {...} }`
        // (which waits for a pool thread before the handler is even installed).
        let exitCode = ThreadTask { server.server.runUntilTerminated() }
        try await withCleanup {
            try await waitUntil("the SIGTERM handler to be installed") { Self.handlerInstalled(SIGTERM) }
            async let inFlight = channel.unary(TestService.slowEcho, EchoRequest(text: "in flight"), as: EchoResponse.self)
            #expect(await probe.wait(for: "slow started"))
            kill(getpid(), SIGTERM)
            let socketPath = server.socketPath
            try await waitUntil("the socket file to be removed") { !FileManager.default.fileExists(atPath: socketPath) }
            probe.record("release slow")
            let answer = try await inFlight
            #expect(answer.text == "in flight")
            #expect(try await withDeadline("runUntilTerminated to return") { try await exitCode.value } == 0)
        } cleanup: {
            // A test that failed before its SIGTERM (a wait that ran out) must not leave the server
            // in runUntilTerminated with its handler installed: that handler would swallow the next
            // SIGTERM sent to the whole test process (CI's watchdog's). Stopping the server wakes
            // runUntilTerminated, which puts the default handler back; after a SIGTERM this is a no-op.
            probe.record("release slow")
            channel.close()
            await server.stop()
            _ = try? await withDeadline("runUntilTerminated to return after the stop") { try await exitCode.value }
            #expect(!Self.handlerInstalled(SIGTERM), "the server's SIGTERM handler outlived the test")
        }
    }
}
