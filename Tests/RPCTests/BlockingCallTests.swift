import TestSupport
import Foundation
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Synchronization
import Testing

/// `ClientChannel.unaryBlocking`: callers on threads of their own that write and read their own
/// calls, taking turns at reading when they share a connection (ClientConnection+Blocking).
@Suite(.timeLimit(.minutes(10))) struct BlockingCallTests {
    @Test func aBlockingCallFromAThreadOfItsOwnIsAnswered() async throws {
        try await withTestServer { _, channel in
            let answer = await onThread { Self.echo("hello", on: channel) }
            #expect(answer == "hello")
        }
    }

    @Test func manyThreadsSharingAChannelEachGetTheirOwnAnswers() async throws {
        try await withTestServer { _, channel in
            let wrong = try await onThreads(16) { thread in Self.echoMany(thread: thread, calls: 100, on: channel) }
            #expect(wrong.flatMap { $0 } == [])
        }
    }

    @Test func blockingThreadsAndAsyncTasksShareAConnection() async throws {
        try await withTestServer { _, channel in
            let threads = ThreadTask.many(4) { thread in Self.echoMany(thread: thread, calls: 50, on: channel) }
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await channel.unary(TestService.echo, EchoRequest(text: "task \(index)"), as: EchoResponse.self).text
                            == "task \(index)"
                    }
                }
                for try await matched in group { #expect(matched) }
            }
            #expect(try await threads.values().flatMap { $0 } == [])
        }
    }

    @Test func aBlockingCallFromATaskIsRefusedAndSendsNothing() async throws {
        try await withTestServer { _, channel in
            let error = await rpcError { _ = try channel.unaryBlocking(TestService.echo, EchoRequest(text: "x"), as: EchoResponse.self) }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message.contains("test.v1.Test/Echo") == true)
            let after = try await channel.unary(TestService.echo, EchoRequest(text: "after"), as: EchoResponse.self)
            #expect(after.text == "after")
        }
    }

    @Test func callsBeyondTheServersLimitWaitOnTheirThreads() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: { $0.maxConcurrentCallsPerConnection = 2 }) { _, channel in
            let answers = ThreadTask.many(6) { index in
                try? channel.unaryBlocking(TestService.slowEcho, EchoRequest(text: "\(index)"), as: EchoResponse.self).text
            }
            #expect(await probe.wait(for: "slow started"))
            probe.record("release slow")
            let texts = try await answers.values()
            #expect(texts == (0..<6).map(String.init))
        }
    }

    @Test func deadlinesEndTheLeaderAndAFollowerAndTheServerSeesTheCancels() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, channel in
            // The slow call's thread reads (leads) while it waits; the others follow it, then lead in turn.
            let slow = ThreadTask { Self.echo("slow", method: TestService.slowEcho, on: channel) }
            #expect(await probe.wait(for: "slow started"))
            let codes = try await onThreads(2) { index in
                Self.code {
                    _ = try channel.unaryBlocking(TestService.waitForCancel, EchoRequest(text: "deadline \(index)"),
                                                  as: EchoResponse.self, options: CallOptions(timeout: .milliseconds(200)))
                }
            }
            #expect(codes == [.deadlineExceeded, .deadlineExceeded])
            try await waitUntil("the server to end both calls") { server.callsEndedByDeadline == 2 }
            #expect(await probe.waitIfStarted("deadline 0 started", for: "deadline 0 saw cancellation"))
            #expect(await probe.waitIfStarted("deadline 1 started", for: "deadline 1 saw cancellation"))
            probe.record("release slow")
            #expect(try await slow.value == "slow")
        }
    }

    @Test func closingTheChannelEndsABlockedCallWithCancelled() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { _, channel in
            let code = ThreadTask {
                Self.code { _ = try channel.unaryBlocking(TestService.waitForCancel, EchoRequest(text: "held"), as: EchoResponse.self) }
            }
            #expect(await probe.wait(for: "held started"))
            channel.close()
            let ended = try await code.value
            #expect(ended == .cancelled)
            #expect(await probe.wait(for: "held saw cancellation"))
        }
    }

    @Test func aGracefulShutdownLetsTheBlockedCallFinishThenRefusesTheNext() async throws {
        let probe = Probe()
        let server = try TestServer.start(probe: probe)
        defer { server.directory.remove() }
        let channel = server.channel()
        defer { channel.close() }
        let slow = ThreadTask { Self.echo("in flight", method: TestService.slowEcho, on: channel) }
        #expect(await probe.wait(for: "slow started"))
        async let stopped: Void = server.server.shutdown()
        // The socket file goes once the server stopped accepting (it has sent GOAWAY); then let the call end.
        while FileManager.default.fileExists(atPath: server.socketPath) { try await Task.sleep(for: .milliseconds(5)) }
        probe.record("release slow")
        #expect(try await slow.value == "in flight")
        await stopped
        let refused = await onThread {
            Self.code { _ = try channel.unaryBlocking(TestService.echo, EchoRequest(text: "late"), as: EchoResponse.self) }
        }
        #expect(refused == .unavailable)
    }

    @Test func aServerThatClosesMidCallFailsEveryBlockedCallerWithUnavailable() async throws {
        let (client, server) = InProcessStream.pair(clientCredentials: PeerCredentials(uid: 1, gid: 1, pid: 1),
                                                    serverCredentials: PeerCredentials(uid: 0, gid: 0, pid: 1))
        let channel = ClientChannel(name: "closing server") { () throws(IOError) -> any ByteStream in client }
        defer { channel.close() }
        // The server shakes hands, waits until three calls have started, then closes without answering.
        let served = ThreadTask { (try? Self.serveThenClose(server, afterCalls: 3)) ?? -1 }
        let codes = try await onThreads(3) { _ in
            Self.code { _ = try channel.unaryBlocking(TestService.echo, EchoRequest(text: "lost"), as: EchoResponse.self) }
        }
        #expect(try await served.value == 3)
        #expect(codes == [StatusCode](repeating: .unavailable, count: 3))
    }

    // MARK: Helpers

    static func echo(_ text: String, method: MethodDescriptor = TestService.echo, on channel: ClientChannel) -> String? {
        try? channel.unaryBlocking(method, EchoRequest(text: text), as: EchoResponse.self).text
    }

    /// Makes `calls` blocking echo calls one after another; what came back wrong or failed.
    static func echoMany(thread: Int, calls: Int, on channel: ClientChannel) -> [String] {
        var wrong: [String] = []
        for call in 0..<calls {
            let text = "\(thread).\(call)"
            do {
                let answer = try channel.unaryBlocking(TestService.echo, EchoRequest(text: text), as: EchoResponse.self).text
                if answer != text { wrong.append("\(text) answered \(answer)") }
            } catch {
                wrong.append("\(text) failed: \(error)")
            }
        }
        return wrong
    }

    /// The status code `body` failed with (OK when it did not fail).
    static func code(_ body: () throws -> Void) -> StatusCode {
        do {
            try body()
            return .ok
        } catch let error as RPCError {
            return error.code
        } catch {
            return .unknown
        }
    }

    /// A server that answers the handshake, reads until `count` CALL_STARTs came, then shuts the
    /// stream down both ways; returns the CALL_STARTs it saw.
    static func serveThenClose(_ stream: InProcessStream, afterCalls count: Int) throws -> Int {
        try stream.writeAll(ServerHello(version: 1, maxFrameSize: 1 << 20, maxConcurrentCalls: 100, initialWindow: 1 << 16,
                                        serverName: "closing", serverVersion: "0").frame())
        var reader = FrameReader(maxFrameSize: 1 << 20)
        var sawMagic = false
        var calls = 0
        defer { stream.shutdown(.both) }
        while calls < count {
            if !sawMagic { sawMagic = reader.take(Handshake.magic.count) != nil }
            while sawMagic, let event = try reader.next() {
                if case .frame(let header, _) = event, header.type == .callStart { calls += 1 }
            }
            guard calls < count else { break }
            let read = try reader.fill { buffer in try stream.read(into: buffer) }
            guard read > 0 else { break }
        }
        return calls
    }
}
