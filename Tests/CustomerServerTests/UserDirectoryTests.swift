@testable import CustomerServer
import CustomerStore
import Foundation
import TestSupport
import Testing

/// The user directory's table shared by its threads (`SharedUserTable`): a thread new to a uid
/// is handed the user another thread read in the same epoch, never one read before a change.
@Suite struct UserDirectoryTests {
    @Test func aThreadNewToAUIDIsHandedTheUserAnotherReadAndNeverOneFromBeforeAChange() async throws {
        try await withDeadline("the user directory's shared table") {
            let (directory, store) = try await onThread { () throws -> (TemporaryDirectory, CustomerStore) in
                let directory = try TemporaryDirectory()
                let store = try CustomerStore(path: directory.path("customers.sqlite"))
                _ = try store.addUser(uid: 1000, name: "alice", isAdministrator: true)
                _ = try store.addUser(uid: 1001, name: "bob")
                return (directory, store)
            }
            defer { withExtendedLifetime(directory) {} }
            let users = UserDirectory(store: store)
            // Each step on a thread of its own (`onThread` starts one), so each starts with an
            // empty table of its own, as a connection's new thread does.
            #expect(try await onThread { try users.user(uid: 1001)?.active } == true)
            #expect(users.shared.user(uid: 1001, epoch: users.epoch)?.name == "bob")
            #expect(try await onThread { try users.user(uid: 1001)?.name } == "bob")

            _ = try await onThread { try users.changing { try store.setUserActive(userName: "bob", false) } }
            #expect(users.shared.user(uid: 1001, epoch: users.epoch) == nil)
            #expect(try await onThread { try users.user(uid: 1001)?.active } == false)
            #expect(try await onThread { try users.user(uid: 1001)?.active } == false)
            // Unknown uids are not kept: each asks the store again.
            #expect(try await onThread { try users.user(uid: 4242) } == nil)
            #expect(users.shared.user(uid: 4242, epoch: users.epoch) == nil)
        }
    }

    @Test func aUserReadBeforeAChangeIsNotKeptOverTheUsersReadAfterIt() throws {
        let table = SharedUserTable()
        let before = StoredUser.example(active: true), after = StoredUser.example(active: false)
        table.keep(after, uid: 1001, epoch: 8)
        // A thread that read its epoch (7) before the change and the user after another thread
        // kept the new epoch's: the older user is not kept.
        table.keep(before, uid: 1001, epoch: 7)
        #expect(table.user(uid: 1001, epoch: 8)?.active == false)
        #expect(table.user(uid: 1001, epoch: 7) == nil)
        // A newer epoch drops the older one's users.
        table.keep(before, uid: 1002, epoch: 9)
        #expect(table.user(uid: 1001, epoch: 9) == nil)
        #expect(table.user(uid: 1002, epoch: 9)?.active == true)
    }
}

private extension StoredUser {
    static func example(active: Bool) -> StoredUser {
        StoredUser(id: 2, uid: 1001, name: "bob", active: active, createdAt: Date(timeIntervalSince1970: 0),
                   profile: ProfileRef(id: 1, name: "Sales", version: 1),
                   rights: PermissionRights(readCustomers: .all, editCustomers: .own, financialFigures: false,
                                            deleteCustomers: false, manageContacts: true, administration: false),
                   trustedService: false)
    }
}
