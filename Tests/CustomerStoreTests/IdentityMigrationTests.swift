import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 8 on a database that version 7 wrote: every row keeps its id, ids the history still
/// names are never handed out again, and a blocked customer number sequence works again.
@Suite struct IdentityMigrationTests {
    /// The rows as version 7 left them: customer 3, address 7 and file 9 were deleted (only the
    /// history names them), customer 2 was renumbered from 10005, and someone once gave the
    /// number 9223372036854775807 to a customer, which pushed the sequence to the end of Int64.
    static func makeVersion7Database(at path: String) throws -> Int64 {
        var old = StoreOptions()
        old.migrateUpTo = 7
        let store = try CustomerStore(path: path, options: old)
        defer { store.close() }
        let admin = try insertLegacyUser(store, uid: 7, name: "dora", isAdministrator: true)
        try store.write { connection in
            try connection.execute("""
                INSERT INTO customers (id, number, name, name_key, search_text, created_at, created_by, updated_at, updated_by)
                VALUES (1, 10001, 'Kept Oy', 'kept oy', 'kept oy 10001', 1, \(admin), 1, \(admin)),
                       (2, 10002, 'Renumbered Oy', 'renumbered oy', 'renumbered oy 10002', 1, \(admin), 1, \(admin));
                INSERT INTO addresses (id, customer_id, country, created_at, created_by, updated_at, updated_by)
                VALUES (4, 1, 'FI', 1, \(admin), 1, \(admin));
                INSERT INTO history (id, entity, entity_id, customer_id, action, at, by_user) VALUES
                    (1, 'customer', 3, 3, 'created', 1, \(admin)),
                    (2, 'customer', 3, 3, 'deleted', 2, \(admin)),
                    (3, 'address', 7, 1, 'deleted', 3, \(admin)),
                    (4, 'customer', 1, 1, 'updated', 4, \(admin)),
                    (5, 'customer', 2, 2, 'updated', 5, \(admin));
                INSERT INTO history_changes (history_id, position, field, old_value, new_value) VALUES
                    (4, 0, 'files.9', 'offer.pdf', NULL),
                    (5, 0, 'number', '10005', '10002');
                UPDATE customer_number_sequence SET last_number = 9223372036854775807;
                """)
        }
        return admin
    }

    @Test func version7DatabaseKeepsEveryIdAndNeverReusesOne() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        let adminID = try Self.makeVersion7Database(at: path)
        let triggersBefore = try Self.schemaNames(path, type: "trigger")
        let viewsBefore = try Self.schemaNames(path, type: "view")

        let store = try CustomerStore(path: path)
        defer { store.close() }
        #expect(store.appliedMigrations.first == 8)
        let admin = Author.user(adminID)
        #expect(try store.customer(id: 1).number == 10_001)
        #expect(try store.customer(id: 2).name == "Renumbered Oy")
        #expect(try store.addresses(customerID: 1).map(\.id) == [4])
        #expect(try store.customer(id: 1).headOffice?.id == 4)
        #expect(try store.user(id: adminID)?.name == "dora")
        #expect(try store.history(.customer, id: 3).map(\.action) == ["created", "deleted"])
        // Every trigger but the one on new customers' head office, which migration 20 drops.
        #expect(try Self.schemaNames(path, type: "trigger") == triggersBefore.filter { $0 != "customers_head_office_on_insert" })
        // Every view but the activity list's, which migration 18 drops (its one reader selects itself).
        #expect(try Self.schemaNames(path, type: "view") == viewsBefore.filter { $0 != "customer_activity_items" })

        // New rows get ids above every id the table or the history ever held.
        let customer = try store.createCustomer(NewCustomer(name: "New Oy"), by: admin)
        #expect(customer.id == 4)
        #expect(try store.history(.customer, id: customer.id).map(\.action) == ["created"])
        let address = try store.addAddress(customerID: customer.id, StoredAddressFields(city: "Oulu", country: "FI"), by: admin)
        #expect(address.id == 8)
        let upload = try store.beginUpload(customerID: customer.id, projectID: nil, name: "new.txt", expectedSize: nil,
                                           expectedSHA256: nil, by: admin)
        try upload.append([1, 2, 3])
        #expect(try upload.finish().id == 10)

        // The sequence restarted after the highest valid number in use and skips the retired 10005.
        #expect(customer.number == 10_003)
        #expect(try store.createCustomer(NewCustomer(name: "Next Oy"), by: admin).number == 10_004)
        #expect(try store.createCustomer(NewCustomer(name: "Skips Oy"), by: admin).number == 10_006)
    }

    static func schemaNames(_ path: String, type: String) throws -> [String] {
        let raw = try SQLiteConnection(path: path, role: .writer, options: .init())
        defer { raw.close() }
        return try raw.withStatement("SELECT name FROM sqlite_schema WHERE type = ? ORDER BY name") { statement in
            try statement.bind(.text(type), at: 1)
            var names: [String] = []
            while try statement.step() { names.append(statement.text(0)) }
            return names
        }
    }
}
