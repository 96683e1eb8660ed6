import TestSupport
import CustomerClient
import CustomerServer
import Foundation
import ServiceLog

/// A real customerd (in this process) on a real socket and a real SQLite file in a fresh
/// temporary directory, removed again by `stop()`.
final class TestServer: Sendable {
    let directory: URL
    let configuration: CustomerServerConfiguration
    let app: CustomerServerApp

    var socketPath: String { configuration.socketPath }
    var databasePath: String { configuration.databasePath }

    /// - Parameters:
    ///   - directory: reuse an existing directory (its database) instead of a new one.
    ///   - logger: where the server logs (default: warnings and worse to stderr).
    ///   - configure: last changes to the configuration (e.g. registry URLs) before the server starts.
    init(directory: URL? = nil, administrators: [CustomerServerConfiguration.InitialUser]? = nil,
         logger: Logger? = nil, configure: (inout CustomerServerConfiguration) -> Void = { _ in }) throws {
        let directory = try directory ?? Self.makeTemporaryDirectory()
        var configuration = CustomerServerConfiguration(
            socketPath: Self.socketPath(in: directory),
            databasePath: directory.appendingPathComponent("customers.sqlite").path)
        configuration.rpc.shutdownGracePeriod = .seconds(2)
        // A client stream's 60 s wait for its next message is shorter than the stalls of a loaded
        // pool between two messages a test sends (RPCTests' TestServer says what was seen).
        configuration.rpc.clientStreamMessageTimeout = .seconds(testWaitLimit)
        if let administrators {
            configuration.initialAdministrators = administrators
        }
        configure(&configuration)
        self.directory = directory
        self.configuration = configuration
        self.app = try CustomerServerApp(
            configuration: configuration, logger: logger ?? Logger(label: "test-customerd", level: .warning))
        try app.start()
    }

    func client() -> CustomerClient {
        CustomerClient(socketPath: socketPath)
    }

    /// Stops the server and keeps the directory, so a new server can open the same database.
    func stopKeepingData() {
        app.shutdown()
    }

    /// Runs `body`, and if it is still running after `seconds`, shuts the server down (which ends the
    /// calls waiting on it) and fails the test naming `test` (`withTimeLimit`).
    func withTimeLimit<T>(seconds: Double = testBodyLimit, _ test: String, _ body: () async throws -> T) async throws -> T {
        try await TestSupport.withTimeLimit(seconds: seconds, "\(test): calls to the server at \(socketPath)",
                                            expire: { [app] in app.shutdown() }, body)
    }

    /// Stops the server and removes its directory.
    func stop() {
        app.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Where a server in `directory` listens unless configured otherwise.
    static func socketPath(in directory: URL) -> String {
        directory.appendingPathComponent("customerd.sock").path
    }

    static func makeTemporaryDirectory() throws -> URL {
        // Short paths: a Unix socket path must fit in sun_path (108 bytes).
        try TemporaryDirectory.create(prefix: "cc-e2e", in: "/tmp")
    }
}

/// Runs `body` against a fresh server and stops it afterwards, also when `body` throws. A body still
/// running after `seconds` fails the test, naming it (`test`): the server is shut down, which ends
/// every call and stream still waiting on it.
func withServer<T>(
    administrators: [CustomerServerConfiguration.InitialUser]? = nil, seconds: Double = testBodyLimit,
    test: String = #function, _ body: (TestServer, CustomerClient) async throws -> T
) async throws -> T {
    try await withTestServer(seconds: seconds, test: test, start: { try TestServer(administrators: administrators) },
                             stop: { $0.stop() }) { server in
        let client = server.client()
        defer { client.close() }
        return try await body(server, client)
    }
}

/// `withOffPool` for a `TestServer`, its body bounded as `withServer`'s is.
func withTestServer<T>(
    seconds: Double = testBodyLimit, test: String = #function, start: @escaping @Sendable () throws -> TestServer,
    stop: @escaping @Sendable (TestServer) -> Void, _ body: (TestServer) async throws -> T
) async throws -> T {
    try await withOffPool(start: start, stop: stop) { server in
        try await server.withTimeLimit(seconds: seconds, test) { try await body(server) }
    }
}

/// Starts a resource off the pool (a server opening its database), runs `body` with it, and stops it
/// off the pool afterwards (a graceful stop waits for calls to drain), also when `body` throws.
func withOffPool<Resource: Sendable, T>(
    start: @escaping @Sendable () throws -> Resource, stop: @escaping @Sendable (Resource) -> Void,
    _ body: (Resource) async throws -> T
) async throws -> T {
    let resource = try await onThread(start)
    let result: T
    do {
        result = try await body(resource)
    } catch {
        await onThread { stop(resource) }
        throw error
    }
    await onThread { stop(resource) }
    return result
}
