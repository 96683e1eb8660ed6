import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 15 drops the indexes no query reads and makes the head-office index partial; the
/// records and the head-office rule stay as they were.
@Suite struct WritePathMigrationTests {
    private static let dropped = ["customers_by_created_by", "customers_by_updated_by", "history_by_user"]

    @Test func databaseBeforeVersion15KeepsItsCustomersAndLosesTheUnreadIndexes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        var old = StoredUserRef(id: 0, name: "")
        let before: StoredCustomer
        do {
            var options = StoreOptions()
            options.migrateUpTo = Migrations.writePath.version - 1
            let store = try CustomerStore(path: path, options: options)
            old = StoredUserRef(id: try insertLegacyUser(store, uid: 42, name: "carol", isAdministrator: true), name: "carol")
            before = try writingTodaysHistory(store) { try store.createCustomer(NewCustomer(name: "Before Oy"), by: .user(old.id)) }
            #expect(try indexNames(store).isSuperset(of: Self.dropped))
            store.close()
        }

        let upgraded = try CustomerStore(path: path)
        #expect(upgraded.appliedMigrations.contains(Migrations.writePath.version))
        #expect(try indexNames(upgraded).isDisjoint(with: Self.dropped))
        #expect(try upgraded.customer(id: before.id) == before)
        let after = try upgraded.createCustomer(NewCustomer(name: "After Oy"), by: .user(old.id))
        #expect(after.number == before.number + 1)
        #expect(try upgraded.history(.customer, id: after.id).map(\.action) == ["created"])
        let address = try upgraded.addAddress(customerID: after.id, StoredAddressFields(country: "FI"), by: .user(old.id))
        #expect(try upgraded.customer(id: after.id).headOffice == address)
        upgraded.close()
    }

    /// The partial index still answers the lookup that deleting an address makes (its foreign
    /// key's ON DELETE SET NULL), and one address still heads one customer only.
    @Test func headOfficeIndexServesTheAddressLookupAndStaysUnique() throws {
        let fixture = try Fixture()
        let plan = try fixture.store.write { connection in
            try connection.withStatement("""
                EXPLAIN QUERY PLAN SELECT id FROM customers WHERE head_office_address_id = ?
                """) { statement in
                var details: [String] = []
                while try statement.step() { details.append(try statement.text("detail")) }
                return details.joined(separator: "; ")
            }
        }
        #expect(plan.contains("customers_by_head_office"), "\(plan)")

        let first = try fixture.create("First Oy"), second = try fixture.create("Second Oy")
        let address = try fixture.store.addAddress(customerID: first.id, StoredAddressFields(country: "FI"),
                                                   by: .user(fixture.admin.id))
        #expect(throws: (any Error).self) {
            try fixture.rawWrite("UPDATE customers SET head_office_address_id = ? WHERE id = ?",
                                 [.integer(address.id), .integer(second.id)])
        }
        #expect(try fixture.store.customer(id: second.id).headOffice == nil)
    }
}
