import TestSupport
import Foundation
import Glibc
import ServiceLog
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Synchronization

extension TemporaryDirectory {
    var socketPath: String { path + "/rpc.sock" }
}

/// A running server on a socket in a fresh temporary directory.
struct TestServer {
    let directory: TemporaryDirectory
    let server: RPCServer
    let logs: LogCapture
    var socketPath: String { directory.socketPath }

    /// `services` besides the ``TestService`` every server has.
    static func start(probe: Probe = Probe(), configure: (inout ServerConfiguration) -> Void = { _ in },
                      interceptors: [any ServerInterceptor] = [], services: [any RPCService] = []) throws -> TestServer {
        let directory = try TemporaryDirectory()
        var configuration = ServerConfiguration(socketPath: directory.socketPath)
        configuration.serverName = "test-server"
        configuration.serverVersion = "1.2.3"
        // A client stream's 60 s wait for its next message is shorter than the stalls of a
        // loaded pool: in a parallel run at load 17 a test's task resumed over 60 s after its
        // handler started, so the timer, not the end of input the test was about, ended the call.
        // Tests of that timer set their own.
        configuration.clientStreamMessageTimeout = hangGuard
        configure(&configuration)
        let logs = LogCapture()
        let server = RPCServer(configuration: configuration, services: [TestService(probe: probe)] + services,
                               interceptors: interceptors, logger: logs.logger)
        try server.start()
        return TestServer(directory: directory, server: server, logs: logs)
    }

    /// Stops the server (waiting for its calls on a thread of its own) and removes the directory.
    func stop() async {
        await server.shutdown()
        directory.remove()
    }

    func channel() -> ClientChannel { ClientChannel(socketPath: socketPath) }

    /// A channel to this server as another OS user: an in-process connection served with `credentials`.
    func channel(as credentials: PeerCredentials) -> ClientChannel {
        ClientChannel(name: "uid \(credentials.uid)") { () throws(IOError) -> any ByteStream in
            let (client, served) = InProcessStream.pair(clientCredentials: credentials,
                                                        serverCredentials: PeerCredentials(uid: 0, gid: 0, pid: 1))
            server.serve(connection: served)
            return client
        }
    }

    /// Calls the server ended with `code` so far (what its server-info reports), also those ended
    /// before their handler ran: a call cancelled early never reaches its handler, nor its probe.
    func callsEnded(_ code: StatusCode) -> UInt64 {
        server.runtime.statistics.snapshot.callsByStatus[Int(code.rawValue)]
    }

    /// Calls ended because the client's deadline passed: by the server's own timer
    /// (DEADLINE_EXCEEDED) or by the CANCEL the client sends when its timer fires first (CANCELLED).
    var callsEndedByDeadline: UInt64 { callsEnded(.deadlineExceeded) + callsEnded(.cancelled) }
}

/// Runs `body` against a fresh server and always stops it afterwards, without blocking the
/// task's thread (a `defer` cannot await).
func withTestServer(probe: Probe = Probe(), configure: (inout ServerConfiguration) -> Void = { _ in },
                    _ body: (TestServer, ClientChannel) async throws -> Void) async throws {
    let server = try TestServer.start(probe: probe, configure: configure)
    let channel = server.channel()
    try await withCleanup {
        try await body(server, channel)
    } cleanup: {
        channel.close()
        await server.stop()
    }
}

/// An async `defer`: runs `body`, then `cleanup` whether `body` returned or threw.
func withCleanup<T>(_ body: () async throws -> T, cleanup: () async -> Void) async throws -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        await cleanup()
        throw error
    }
    await cleanup()
    return result
}

/// How long a test waits for something before it fails instead of hanging: a bound for bugs, far
/// beyond what a loaded machine takes (see ``Probe/wait(for:)``), the one every test target uses.
let hangGuard = Duration.seconds(testWaitLimit)

/// Events a handler reports back to the test (e.g. "saw the cancellation"), awaited without polling.
final class Probe: Sendable {
    private let events = Mutex<[String]>([])
    private let heldAnswers = Mutex<[@Sendable () -> Void]>([])

    /// Keeps a later answer (`TestService.laterEcho`) until ``giveHeldAnswers()``.
    func holdAnswer(_ give: @escaping @Sendable () -> Void) {
        heldAnswers.withLock { $0.append(give) }
    }

    /// Gives every answer held so far, on the calling thread (as a group commit's leader would).
    func giveHeldAnswers() {
        for give in heldAnswers.withLock({ held in defer { held = [] }; return held }) { give() }
    }

    private let signal = DispatchSemaphore(value: 0)

    func record(_ event: String) {
        events.withLock { $0.append(event) }
        signal.signal()
    }

    var recorded: [String] { events.withLock { $0 } }

    /// Waits until `event` was recorded. The wait blocks its own thread: a Dispatch worker would
    /// starve the cooperative pool.
    ///
    /// It gives up only after ``hangGuard``, so a bug fails instead of hanging, but never because
    /// the machine is busy: all tests of the bundle share the pool's two threads, and a task the
    /// event depends on (the call that records it) may queue behind every other test's work for a
    /// long time (with both cores busy, a 20 s bound failed five tests of a run).
    /// With `count`, waits until `event` was recorded that many times (by as many handlers).
    func wait(for event: String, count: Int = 1) async -> Bool {
        await onThread { [self] in
            let giveUp = DispatchTime.now() + .seconds(Int(hangGuard.components.seconds))
            func seen() -> Bool { recorded.lazy.filter { $0 == event }.count >= count }
            while !seen() {
                if signal.wait(timeout: giveUp) == .timedOut { break }
            }
            return seen()
        }
    }
}

extension Probe {
    /// Waits for `ended` only if the handler recorded `started`; true when it never started.
    ///
    /// For a call the server already ended (a deadline, a CANCEL, the end of input): its handler
    /// never runs if that came before the handler's thread reached it (a busy machine), and then
    /// nothing is recorded; one that started records `ended` once it sees the call end.
    func waitIfStarted(_ started: String, for ended: String) async -> Bool {
        recorded.contains(started) ? await wait(for: ended) : true
    }
}

/// Expects `body` to throw an RPCError and returns it.
func rpcError(_ body: () async throws -> Void) async -> RPCError? {
    do {
        try await body()
        return nil
    } catch let error as RPCError {
        return error
    } catch {
        return RPCError(.unknown, "not an RPCError: \(error)")
    }
}

