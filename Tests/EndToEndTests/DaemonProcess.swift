import CommandLineKit
import CustomerClient
import Foundation
import TestSupport

/// Starts the built customerd as a child process on `socket` and `database`, with `arguments` after those.
func startDaemon(socket: String, database: String, arguments: [String] = []) throws -> ChildProcess {
    try ChildProcess.spawn(try Products.url(of: "customerd").path,
                           ["--socket", socket, "--database", database, "--log-level", "warning"] + arguments)
}

/// Stops a daemon `startDaemon` started gracefully (SIGTERM), waited for off the cooperative pool
/// and for at most `testWaitLimit`.
func stopDaemon(_ daemon: ChildProcess) async {
    daemon.terminate()
    _ = try? await daemon.exitStatus("customerd to stop after SIGTERM")
}

/// Starts customerd on `files`, runs `body` once it serves (through `client`), then stops it
/// gracefully, also when `body` throws.
func withRestartedDaemon<T>(_ files: DaemonFiles, _ client: CustomerClient, _ body: () async throws -> T) async throws -> T {
    let daemon = try startDaemon(socket: files.socket, database: files.database)
    let result: T
    do {
        try await waitUntilServing(client)
        result = try await body()
    } catch {
        await stopDaemon(daemon)
        throw error
    }
    daemon.terminate()
    _ = try await daemon.exitStatus("customerd to exit")
    return result
}

/// A temporary directory for a customerd started by hand (`startDaemon`): its socket and database
/// paths stay the same across restarts within a test; `remove()` deletes the directory.
struct DaemonFiles {
    let directory: URL
    let socket: String
    let database: String

    init() throws {
        directory = try TestServer.makeTemporaryDirectory()
        socket = directory.appendingPathComponent("d.sock").path
        database = directory.appendingPathComponent("customers.sqlite").path
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Polls the health check until the daemon answers; a start-up failure shows as the last error.
/// Bounded as a whole (`withDeadline`): a daemon that accepts and never answers fails the test too.
func waitUntilServing(_ client: CustomerClient) async throws {
    try await withDeadline(seconds: testWaitLimit + 60, "customerd to answer its health check") {
        // Tries until the tests' wait limit, not 800 times (20 s and more): a debug customerd
        // starting beside busy cores may take longer; the outer bound is for a call that hangs.
        let giveUp = ContinuousClock.now + .seconds(testWaitLimit)
        var lastError: Error?
        while ContinuousClock.now < giveUp {
            do {
                if try await client.server.health() == .serving { return }
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw lastError ?? RPCError(.unavailable, "customerd did not start")
    }
}
