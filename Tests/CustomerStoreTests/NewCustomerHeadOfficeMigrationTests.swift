import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 20 drops the trigger that refused a head office in a customer's INSERT: the store
/// never writes one there but in an import, and the rest of the head-office rule stays in the schema.
@Suite struct NewCustomerHeadOfficeMigrationTests {
    @Test func databaseBeforeVersion20LosesTheInsertTriggerAndKeepsTheHeadOfficeRule() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        let before: StoredCustomer
        let author: Author
        do {
            var options = StoreOptions()
            options.migrateUpTo = Migrations.newCustomerHeadOffice.version - 1
            let store = try CustomerStore(path: path, options: options)
            author = .user(try insertLegacyUser(store, uid: 42, name: "carol", isAdministrator: true))
            before = try writingTodaysHistory(store) { try store.createCustomer(NewCustomer(name: "Before Oy"), by: author) }
            #expect(try IdentityMigrationTests.schemaNames(path, type: "trigger").contains("customers_head_office_on_insert"))
            store.close()
        }

        let upgraded = try CustomerStore(path: path)
        defer { upgraded.close() }
        #expect(upgraded.appliedMigrations.contains(Migrations.newCustomerHeadOffice.version))
        #expect(try !IdentityMigrationTests.schemaNames(path, type: "trigger").contains("customers_head_office_on_insert"))
        #expect(try upgraded.customer(id: before.id) == before)
        let after = try upgraded.createCustomer(NewCustomer(name: "After Oy"), by: author)
        #expect(after.number == before.number + 1 && after.headOffice == nil)
        let address = try upgraded.addAddress(customerID: after.id, StoredAddressFields(country: "FI"), by: author)
        #expect(try upgraded.customer(id: after.id).headOffice == address)
        // Another customer's head office is still refused, by the unique index and by the UPDATE trigger.
        #expect(throws: (any Error).self) {
            try upgraded.write { connection in
                try connection.run("UPDATE customers SET head_office_address_id = ? WHERE id = ?",
                                   [.integer(address.id), .integer(before.id)])
            }
        }
    }
}
