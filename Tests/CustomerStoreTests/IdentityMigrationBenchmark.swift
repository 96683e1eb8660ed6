import TestSupport
import Foundation
import Testing
@testable import CustomerStore

/// Not a test of speed (it asserts nothing about time): what migration 8 costs on a large
/// database, run on demand with `CUSTOMERSTORE_BENCH=1 swift test --filter IdentityMigrationBenchmark`
/// (SQLite does the work, so a debug build measures the same).
@Suite struct IdentityMigrationBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CUSTOMERSTORE_BENCH"] != nil))
    func migration8With1000000Customers() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        let customers = 1_000_000
        var old = StoreOptions()
        old.migrateUpTo = 7
        do {
            let store = try CustomerStore(path: path, options: old)
            defer { store.close() }
            let admin = try insertLegacyUser(store, uid: 7, name: "dora", isAdministrator: true)
            try store.write { connection in
                try connection.execute("""
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(customers))
                    INSERT INTO customers (id, number, name, name_key, search_text, created_at, created_by, updated_at, updated_by)
                    SELECT i, 10000 + i, 'Customer ' || i, 'customer ' || i, 'customer ' || i, 1, \(admin), 1, \(admin) FROM n;
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(customers))
                    INSERT INTO history (entity, entity_id, customer_id, action, at, by_user)
                    SELECT 'customer', i, i, 'created', 1, \(admin) FROM n;
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(customers / 10))
                    INSERT INTO addresses (customer_id, city, country, created_at, created_by, updated_at, updated_by)
                    SELECT i * 10, 'Espoo', 'FI', 1, \(admin), 1, \(admin) FROM n;
                    """)
            }
        }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let start = ContinuousClock.now
        let store = try CustomerStore(path: path)
        let elapsed = ContinuousClock.now - start
        defer { store.close() }
        #expect(store.appliedMigrations == [8])
        print("migration 8: \(customers) customers, \(customers) history entries, \(customers / 10) addresses, "
              + "database \(size / 1_048_576) MiB: opened and migrated in \(elapsed)")
    }
}
