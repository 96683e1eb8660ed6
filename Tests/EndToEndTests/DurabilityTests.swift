import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// Acknowledged writes survive a restart and a kill -9 of the server process.
@Suite struct DurabilityTests {
    @Test func dataIsStillThereAfterARestart() async throws {
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let start: @Sendable () throws -> TestServer = { try TestServer(directory: directory) }
        let client = CustomerClient(socketPath: TestServer.socketPath(in: directory))
        defer { client.close() }
        let created = try await withTestServer(start: start, stop: { $0.stopKeepingData() }) { _ in
            try await client.customers.create(CustomerFields(name: "Persistent", country: "NL"))
        }
        try await withTestServer(start: start, stop: { $0.stopKeepingData() }) { _ async throws in
            // The same client reconnects on its next call after the restart.
            #expect(try await client.customers.get(id: created.id) == created)
        }
    }

    @Test func anAcknowledgedWriteSurvivesKillNine() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let (socket, database) = (files.socket, files.database)

        let daemon = try startDaemon(socket: socket, database: database)
        defer { daemon.killInBackground() }
        let client = CustomerClient(socketPath: socket)
        try await waitUntilServing(client)
        var created: [Customer] = []
        for index in 0..<20 {
            created.append(try await client.customers.create(CustomerFields(name: "Crash \(index)")))
        }
        daemon.terminate(SIGKILL)
        #expect(try await daemon.exitStatus("customerd to end after SIGKILL") == 128 + SIGKILL)

        // The stale socket file left by the crash is replaced by the new server.
        let restarted = try startDaemon(socket: socket, database: database)
        defer { restarted.killInBackground() }
        try await waitUntilServing(client)
        for customer in created {
            #expect(try await client.customers.get(id: customer.id) == customer)
        }
        client.close()
    }

    /// Creates sent at once from many connections without an idempotency key (as customer-bench
    /// sends them) join each other's group commits, where they run without savepoints: every one
    /// acknowledged is there after a kill -9. (How large the groups are is up to the scheduler.)
    @Test func concurrentUnkeyedCreatesSurviveKillNine() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let (socket, database) = (files.socket, files.database)

        let daemon = try startDaemon(socket: socket, database: database)
        defer { daemon.killInBackground() }
        let clients = (0..<16).map { _ in CustomerClient(socketPath: socket) }
        defer { for client in clients { client.close() } }
        try await waitUntilServing(clients[0])
        let created = try await withThrowingTaskGroup(of: [Customer].self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    var mine: [Customer] = []
                    for round in 0..<5 {
                        let request = CreateCustomerRequest(fields: CustomerFields(name: "Crash \(index)-\(round)"),
                                                            allowDuplicateVat: nil)
                        mine.append(try await client.channel.unary(CustomerService.createCustomer.descriptor, request,
                                                                   as: Customer.self))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        daemon.terminate(SIGKILL)
        #expect(try await daemon.exitStatus("customerd to end after SIGKILL") == 128 + SIGKILL)

        let restarted = try startDaemon(socket: socket, database: database)
        defer { restarted.killInBackground() }
        try await waitUntilServing(clients[0])
        #expect(Set(created.map(\.number)).count == 80)
        for customer in created {
            #expect(try await clients[0].customers.get(id: customer.id) == customer)
        }
    }

    @Test func sigtermStopsCleanlyAndRemovesTheSocket() async throws {
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("d.sock").path
        let daemon = try startDaemon(socket: socket, database: directory.appendingPathComponent("c.sqlite").path)
        defer { daemon.killInBackground() }
        let client = CustomerClient(socketPath: socket)
        try await waitUntilServing(client)
        client.close()
        daemon.terminate()
        #expect(try await daemon.exitStatus("customerd to stop after SIGTERM") == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }
}
