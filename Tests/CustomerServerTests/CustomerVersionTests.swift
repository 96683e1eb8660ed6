import CustomerClient
import Testing

/// Create, read and update through the handlers and the store, with optimistic concurrency.
@Suite struct CustomerVersionTests {
    @Test func anUpdateAgainstAnOldVersionIsAbortedAndChangesNothing() async throws {
        try await withInProcessServer { server in
            let boss = server.client(uid: InProcessServer.bossUID)
            let created = try await boss.customers.create(CustomerFields(name: "Versioned Oy", country: "FI"))
            #expect(try await boss.customers.get(id: created.id) == created)

            let updated = try await boss.customers.update(
                id: created.id, CustomerFields(description: "first"), expectedVersion: created.version)
            #expect(updated.version == created.version + 1)
            #expect(updated.description == "first")

            let error = await #expect(throws: RPCError.self) {
                _ = try await boss.customers.update(id: created.id, CustomerFields(description: "lost"),
                                                   expectedVersion: created.version)
            }
            #expect(error?.code == .aborted)
            #expect(try await boss.customers.get(id: created.id) == updated)
        }
    }
}
