import CustomerClient
import Testing

/// Who may call what, decided by the caller's identity from the connection: each profile's user
/// gets its own in-process connection with its own uid, in one process.
@Suite struct PermissionTests {
    /// A user per built-in profile, by profile name, with the uid its connections carry.
    static let users: [(profile: String, name: String, uid: UInt32)] = [
        ("Administrator", InProcessServer.boss, InProcessServer.bossUID),
        ("Sales", "sally", 6002),
        ("Consultant", "connie", 6003),
        ("Read only", "rita", 6004),
    ]

    @Test func eachProfileGetsWhatItsRightsAllowOnAColleaguesCustomer() async throws {
        try await withInProcessServer { server in
            let boss = server.client(uid: InProcessServer.bossUID)
            for user in Self.users.dropFirst() {
                _ = try await boss.users.add(uid: user.uid, name: user.name, profile: user.profile)
            }
            let customer = try await boss.customers.create(CustomerFields(name: "Boss Oy", accountManager: InProcessServer.boss))
            // Which profiles may make each call (README, "Permissions"); everyone else is refused.
            let rows: [(method: String, allowed: Set<String>, call: @Sendable (CustomerClient) async throws -> Void)] = [
                ("GetCustomer", ["Administrator", "Sales", "Read only"], { _ = try await $0.customers.get(id: customer.id) }),
                ("UpdateCustomer", ["Administrator"],
                 { _ = try await $0.customers.update(id: customer.id, CustomerFields(description: "changed")) }),
                ("CreateCustomer", ["Administrator"], { _ = try await $0.customers.create(CustomerFields(name: "New Oy")) }),
                ("ListUsers", ["Administrator"], { _ = try await $0.users.list() }),
            ]
            for user in Self.users {
                let client = server.client(uid: user.uid)
                #expect(try await client.users.whoAmI().name == user.name)
                for row in rows {
                    if row.allowed.contains(user.profile) {
                        await #expect(throws: Never.self, "\(user.profile) may call \(row.method)") { try await row.call(client) }
                    } else {
                        let error = await #expect(throws: RPCError.self, "\(user.profile) may not call \(row.method)") {
                            try await row.call(client)
                        }
                        #expect(error?.code == .permissionDenied, "\(user.profile) calling \(row.method): \(String(describing: error))")
                    }
                }
            }
        }
    }

    @Test func aUidThatIsNoUserIsUnauthenticated() async throws {
        try await withInProcessServer { server in
            let stranger = server.client(uid: 6999)
            let error = await #expect(throws: RPCError.self) { _ = try await stranger.customers.list() }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains("6999") == true, "the message names the uid: \(String(describing: error))")
        }
    }
}
