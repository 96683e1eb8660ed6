import CustomerStore
import Foundation
import TestSupport

/// A store in a fresh temporary directory with an administrator and a user whose name is not
/// ASCII, opened on a thread of its own (opening a database blocks): the setting of the tests
/// that compare an answer written from the store's rows with its records encoded.
struct StoreOfTwoUsers {
    let directory: TemporaryDirectory
    let store: CustomerStore
    let admin: StoredUser
    let manager: StoredUser
    var author: Author { .user(admin.id) }

    /// Runs `body` with a new store, on a thread of its own, within the tests' wait limit.
    static func with(_ what: String, _ body: @escaping @Sendable (StoreOfTwoUsers) throws -> Void) async throws {
        try await withDeadline(what) {
            try await onThread {
                let directory = try TemporaryDirectory()
                let store = try CustomerStore(path: directory.path("customers.sqlite"))
                try body(StoreOfTwoUsers(
                    directory: directory, store: store, admin: try store.addUser(uid: 1000, name: "alice", isAdministrator: true),
                    manager: try store.addUser(uid: 1001, name: "Börje Öhman")))
            }
        }
    }
}
