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

    /// A customer with every optional field set, non-ASCII text, the manager as its account
    /// manager and a registry status: the full shape the encoding tests compare.
    func createFullCustomer() throws -> StoredCustomer {
        _ = try store.createIndustry(name: "Förpackningar")
        let full = try store.createCustomer(NewCustomer(
            name: "Åkerlund & Rausing Ab", accountManagerID: manager.id, description: "Kärnkund sedan 1998 – 💼",
            vatNumber: "SE556036079301", country: "SE", industry: "Förpackningar", email: "info@example.se",
            website: "example.se", phone: "+46 8 123 45"), by: author)
        // The registry's status and the time of its check.
        return try store.applyRegistryUpdate(customerID: full.id, RegistryUpdate(source: "test registry", status: "aktiv – registrerad"),
                                             expectedVersion: nil, by: author)
    }
}
