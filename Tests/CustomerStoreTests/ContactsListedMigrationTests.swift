import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 21 indexes a customer's contacts in their listed order (`contacts_listed`) in place of
/// `contacts_by_customer`: the contacts stay, and the listing steps them in order with no sort.
@Suite struct ContactsListedMigrationTests {
    @Test func databaseBeforeVersion21KeepsItsContactsAndListsThemFromTheNewIndex() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        let customerID: Int64
        let before: [StoredContact]
        do {
            var options = StoreOptions()
            options.migrateUpTo = Migrations.contactsListed.version - 1
            let store = try CustomerStore(path: path, options: options)
            // As the server of that version wrote it: today's `addUser` checks names by a later column.
            let admin = try insertLegacyUser(store, uid: 1000, name: "alice", isAdministrator: true)
            customerID = try writingTodaysHistory(store) {
                let id = try store.createCustomer(NewCustomer(name: "Before Oy"), by: .user(admin)).id
                for (first, last) in [("Eero", "virtanen"), ("aino", "Virtanen"), ("Bo", nil), ("Al", "ahonen")] {
                    _ = try store.createContact(customerID: id, StoredContactFields(firstName: first, lastName: last),
                                                keywords: [], roles: [], by: .user(admin))
                }
                return id
            }
            before = try store.contacts(customerID: customerID, includeDeactivated: false)
            store.close()
            #expect(try IdentityMigrationTests.schemaNames(path, type: "index").contains("contacts_by_customer"))
        }

        let upgraded = try CustomerStore(path: path)
        defer { upgraded.close() }
        #expect(upgraded.appliedMigrations.contains(Migrations.contactsListed.version))
        let indexes = try IdentityMigrationTests.schemaNames(path, type: "index")
        #expect(indexes.contains("contacts_listed") && !indexes.contains("contacts_by_customer"))
        #expect(try upgraded.contacts(customerID: customerID, includeDeactivated: false) == before)
        #expect(before.map(\.firstName) == ["Al", "Bo", "aino", "Eero"])
    }

    /// The listing's SELECT searches the new index for the customer and sorts nothing (no
    /// temporary B-tree), with and without the deactivated contacts.
    @Test func contactsAreSteppedInTheIndexOrderWithoutASort() throws {
        let fixture = try Fixture()
        let plan = try fixture.store.read { connection in
            try connection.withStatement("EXPLAIN QUERY PLAN " + ContactRow.byCustomer) { statement in
                try statement.bind([.integer(1), .integer(0)])
                var plan = ""
                while try statement.step() { plan += statement.text(3) + "\n" }
                return plan
            }
        }
        #expect(plan.contains("SEARCH k USING INDEX contacts_listed (customer_id=?)"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
    }
}
