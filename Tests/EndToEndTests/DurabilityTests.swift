import CustomerClient
import Foundation
import Glibc
import Testing

/// Acknowledged writes survive a restart and a kill -9 of the server process.
@Suite struct DurabilityTests {
    @Test func dataIsStillThereAfterARestart() async throws {
        let first = try await offPool { try TestServer() }
        let client = first.client()
        let created = try await client.customers.create(CustomerFields(name: "Persistent", country: "NL"))
        try await offPool { first.stopKeepingData() }

        let second = try await offPool { try TestServer(directory: first.directory) }
        // The same client reconnects on its next call after the restart.
        #expect(try await client.customers.get(id: created.id) == created)
        client.close()
        try await offPool { second.stop() }
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
        daemon.terminate(SIGKILL)
        #expect(daemon.waitUntilExit() == 128 + SIGKILL)

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
        #expect(daemon.waitUntilExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }
}
