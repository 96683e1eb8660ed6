import CustomerClient
import Testing

/// A refused call changes nothing: not the record it aimed at, not the list of records.
@Suite struct RefusedCallTests {
    @Test func refusedWritesLeaveTheStoreAsItWas() async throws {
        try await withInProcessServer { server in
            let boss = server.client(uid: InProcessServer.bossUID)
            _ = try await boss.users.add(uid: 6004, name: "rita", profile: "Read only")
            let reader = server.client(uid: 6004)
            let customer = try await boss.customers.create(CustomerFields(name: "Steady Oy", email: "info@steady.example"))

            let denied = await #expect(throws: RPCError.self) {
                _ = try await reader.customers.update(id: customer.id, CustomerFields(description: "sneaky"))
            }
            #expect(denied?.code == .permissionDenied)

            let invalid = await #expect(throws: RPCError.self) {
                _ = try await boss.customers.update(id: customer.id, CustomerFields(email: "not an address"))
            }
            #expect(invalid?.code == .invalidArgument)
            #expect(invalid?.details.contains { $0.field == "email" } == true, "names the field: \(String(describing: invalid))")

            let unnamed = await #expect(throws: RPCError.self) { _ = try await boss.customers.create(CustomerFields(name: "")) }
            #expect(unnamed?.code == .invalidArgument)

            // (uid_t) -1 is no process's uid: a user with it could never connect.
            let users = try await boss.users.list()
            let noUID = await #expect(throws: RPCError.self) { _ = try await boss.users.add(uid: .max, name: "nobody-ever") }
            #expect(noUID?.code == .invalidArgument)
            #expect(noUID?.details.contains { $0.field == "uid" } == true, "names the field: \(String(describing: noUID))")
            #expect(try await boss.users.list() == users)

            #expect(try await boss.customers.get(id: customer.id) == customer)
            #expect(try await boss.customers.list(CustomerQuery(status: .all)).customers == [customer])
        }
    }
}
