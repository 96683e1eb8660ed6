import CommandLineKit
import CustomerClient
import Foundation
import TestSupport

/// Starts the built customerd as a child process on `socket` and `database`, with `arguments` after those.
func startDaemon(socket: String, database: String, arguments: [String] = []) throws -> ChildProcess {
    try ChildProcess.spawn(try Products.url(of: "customerd").path,
                           ["--socket", socket, "--database", database, "--log-level", "warning"] + arguments)
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
    try await withDeadline("customerd to answer its health check") {
        var lastError: Error?
        for _ in 0..<800 {
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
