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
        let server = try TestServer.start(probe: probe)
        defer { server.directory.remove() }
        let channel = server.channel()
        defer { channel.close() }
        async let exitCode = onThread { server.server.runUntilTerminated() }
        while !Self.handlerInstalled(SIGTERM) { try await Task.sleep(for: .milliseconds(5)) }
        async let inFlight = channel.unary(TestService.slowEcho, EchoRequest(text: "in flight"), as: EchoResponse.self)
        #expect(await probe.wait(for: "slow started"))
        kill(getpid(), SIGTERM)
        while FileManager.default.fileExists(atPath: server.socketPath) { try await Task.sleep(for: .milliseconds(5)) }
        probe.record("release slow")
        let answer = try await inFlight
        #expect(answer.text == "in flight")
        #expect(await exitCode == 0)
        #expect(!Self.handlerInstalled(SIGTERM))
    }
}
