import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 13 on a database an older version wrote: existing customers get their duplicate
/// keys, and addresses still cannot move to another customer outside a merge.
@Suite struct CustomerMergeMigrationTests {
    @Test func existingCustomersGetTheirKeysAndAreFoundAsDuplicates() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        var old = StoreOptions()
        old.migrateUpTo = Migrations.customerMerge.version - 1
        do {
            let store = try CustomerStore(path: path, options: old)
            let admin = try insertLegacyUser(store, uid: 13, name: "erin", isAdministrator: true)
            try store.write { connection in
                try connection.execute("""
                    INSERT INTO customers (id, number, name, name_key, search_text, email, deleted, created_at, created_by,
                                           updated_at, updated_by)
                    VALUES (1, 10001, 'Vanha Oy', 'vanha oy', '', 'a@vanha.fi', 0, 1, \(admin), 1, \(admin)),
                           (2, 10002, 'VANHA AB', 'vanha ab', '', NULL, 0, 1, \(admin), 1, \(admin)),
                           (3, 10003, '10003', '', '', NULL, 1, 1, \(admin), 1, \(admin));
                    INSERT INTO addresses (id, customer_id, country, created_at, created_by, updated_at, updated_by)
                    VALUES (5, 1, 'FI', 1, \(admin), 1, \(admin));
                    """)
            }
            store.close()
        }
        let store = try CustomerStore(path: path)
        defer { store.close() }
        #expect(store.appliedMigrations.contains(Migrations.customerMerge.version))
        let page = try store.findDuplicates(limit: 10, pageToken: nil)
        #expect(page.pairs.map { [$0.first.id, $0.second.id] } == [[1, 2]])
        #expect(page.pairs.first?.reasons == [.sameName])
        // The tombstone has no keys; addresses stay with their customer outside a merge.
        #expect(try store.write { try Self.count($0, "SELECT count(*) FROM customer_match_keys WHERE customer_id = 3") } == 0)
        #expect(storeError { try store.write { try $0.run("UPDATE addresses SET customer_id = 2 WHERE id = 5") } } != nil)
    }

    private static func count(_ connection: SQLiteConnection, _ sql: String) throws -> Int64 {
        try connection.withStatement(sql) { statement in try statement.step() ? statement.int64(0) : 0 }
    }
}
