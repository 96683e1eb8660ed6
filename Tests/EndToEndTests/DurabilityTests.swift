import CustomerClient
import Foundation
import Glibc
import Testing

/// Acknowledged writes survive a restart and a kill -9 of the server process.
@Suite struct DurabilityTests {
    @Test func dataIsStillThereAfterARestart() async throws {
        let first = try TestServer()
        let client = first.client()
        let created = try await client.customers.create(CustomerFields(name: "Persistent", country: "NL"))
        first.stopKeepingData()

        let second = try TestServer(directory: first.directory)
        defer { second.stop() }
        // The same client reconnects on its next call after the restart.
        #expect(try await client.customers.get(id: created.id) == created)
        client.close()
    }

    @Test func anAcknowledgedWriteSurvivesKillNine() async throws {
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("d.sock").path
        let database = directory.appendingPathComponent("customers.sqlite").path

        let daemon = try startDaemon(socket: socket, database: database)
        let client = CustomerClient(socketPath: socket)
        try await waitUntilServing(client)
        var created: [Customer] = []
        for index in 0..<20 {
            created.append(try await client.customers.create(CustomerFields(name: "Crash \(index)")))
        }
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        #expect(daemon.terminationReason == .uncaughtSignal)

        // The stale socket file left by the crash is replaced by the new server.
        let restarted = try startDaemon(socket: socket, database: database)
        defer {
            restarted.terminate()
            restarted.waitUntilExit()
        }
        try await waitUntilServing(client)
        for customer in created {
            #expect(try await client.customers.get(id: customer.id) == customer)
        }
        client.close()
    }

    @Test func sigtermStopsCleanlyAndRemovesTheSocket() async throws {
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("d.sock").path
        let daemon = try startDaemon(socket: socket, database: directory.appendingPathComponent("c.sqlite").path)
        let client = CustomerClient(socketPath: socket)
        try await waitUntilServing(client)
        client.close()
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationReason == .exit)
        #expect(daemon.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    private func startDaemon(socket: String, database: String) throws -> Process {
        let process = Process()
        process.executableURL = try Products.url(of: "customerd")
        process.arguments = ["--socket", socket, "--database", database, "--log-level", "warning"]
        try process.run()
        return process
    }

    /// Polls the health check until the daemon answers; a start-up failure shows as the last error.
    private func waitUntilServing(_ client: CustomerClient) async throws {
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
