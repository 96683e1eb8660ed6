import CustomerClient
import CustomerServer
import CustomerStore
import Foundation
import Glibc
import TestSupport
import Testing

/// Who calls is read off the socket (SO_PEERCRED) and mapped to a user; unknown uids are refused.
@Suite struct IdentityTests {
    @Test func theUserRunningTheServerIsAnAdministratorOnFirstStart() async throws {
        try await withServer { _, client in
            let me = try await client.users.whoAmI()
            #expect(me.uid == getuid())
            #expect(me.isAdministrator)
            let users = try await client.users.list()
            #expect(users.contains { $0.uid == 0 && $0.isAdministrator })
        }
    }

    @Test func anUnknownUidIsRefusedWithTheCommandThatAddsIt() async throws {
        let someoneElse = CustomerServerConfiguration.InitialUser(uid: getuid() == 4242 ? 4243 : 4242, name: "someone-else")
        try await withServer(administrators: [someoneElse]) { _, client in
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Sneaky"))
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains("uid \(getuid())") == true)
            #expect(error?.message.contains("customerctl users add --uid \(getuid())") == true)
            // The health check answers anyone who can reach the socket.
            let health = try await client.server.health()
            #expect(health == .serving)
        }
    }

    @Test func addingUsersNeedsAnAdministrator() async throws {
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let someoneElse = CustomerServerConfiguration.InitialUser(uid: getuid() == 4242 ? 4243 : 4242, name: "admin")
        // Make this process's uid a user without Administration, straight in the store, before the server starts.
        let databasePath = directory.appendingPathComponent("customers.sqlite").path
        try await onThread {
            let store = try CustomerStore(path: databasePath)
            try store.bootstrap(administrators: [(uid: someoneElse.uid, name: someoneElse.name)])
            _ = try store.addUser(uid: getuid(), name: "plain", profileName: "Sales")
            store.close()
        }

        try await withTestServer(start: { try TestServer(directory: directory, administrators: [someoneElse]) },
                                 stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            #expect(try await client.users.whoAmI().name == "plain")
            let error = await #expect(throws: RPCError.self) {
                try await client.users.add(uid: 5555, name: "mallory", isAdministrator: true)
            }
            #expect(error?.code == .permissionDenied)
            // A user without Administration still works with customers, and is recorded as the creator.
            let customer = try await client.customers.create(CustomerFields(name: "Made by plain", accountManager: "plain"))
            #expect(customer.createdBy.name == "plain")
        }
        let after = try CustomerStore(path: databasePath)
        defer { after.close() }
        #expect(try after.listUsers().map(\.name) == ["admin", "plain"])
    }

    @Test func anAdministratorAddsAUserAndTakenUidsOrNamesAreRefused() async throws {
        try await withServer { _, client in
            let added = try await client.users.add(uid: 5555, name: "alice")
            #expect(added.uid == 5555)
            #expect(!added.isAdministrator)
            let takenUid = await #expect(throws: RPCError.self) { try await client.users.add(uid: 5555, name: "bob") }
            #expect(takenUid?.code == .alreadyExists)
            let takenName = await #expect(throws: RPCError.self) { try await client.users.add(uid: 5556, name: "alice") }
            #expect(takenName?.code == .alreadyExists)
            #expect(try await client.users.list().filter { $0.uid >= 5555 }.map(\.name) == ["alice"])
        }
    }

    /// Found by spec16's outside client: `isAdministrator` beside a `profile` was ignored, so a
    /// caller asking for both got a Read only user without being told.
    @Test func aProfileBesideIsAdministratorIsRefusedAndAddsNoOne() async throws {
        try await withServer { _, client in
            let both = await #expect(throws: RPCError.self) {
                try await client.users.add(uid: 5557, name: "carol", isAdministrator: true, profile: "Read only")
            }
            #expect(both?.code == .invalidArgument)
            #expect(both?.message == "isAdministrator: give profile or isAdministrator, not both")
            #expect(try await client.users.list().contains { $0.uid == 5557 } == false)
            let profiled = try await client.users.add(uid: 5557, name: "carol", isAdministrator: false, profile: "Sales")
            #expect(profiled.profile == "Sales")
        }
    }
}
