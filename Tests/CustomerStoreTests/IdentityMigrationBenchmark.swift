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
        let customers = 1_000_000
        let directory = try LegacyDatabaseBenchmark.database(migratedUpTo: 7) { admin in
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(customers))
            INSERT INTO customers (id, number, name, name_key, search_text, created_at, created_by, updated_at, updated_by)
            SELECT i, 10000 + i, 'Customer ' || i, 'customer ' || i, 'customer ' || i, 1, \(admin), 1, \(admin) FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(customers))
            INSERT INTO history (entity, entity_id, customer_id, action, at, by_user)
            SELECT 'customer', i, i, 'created', 1, \(admin) FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(customers / 10))
            INSERT INTO addresses (customer_id, city, country, created_at, created_by, updated_at, updated_by)
            SELECT i * 10, 'Espoo', 'FI', 1, \(admin), 1, \(admin) FROM n;
            """
        }
        let size = LegacyDatabaseBenchmark.mebibytes(directory.databasePath)
        let (store, elapsed) = try LegacyDatabaseBenchmark.open(directory.databasePath)
        defer { store.close() }
        #expect(store.appliedMigrations == Array(8...Migrations.latestVersion))
        print("migration 8: \(customers) customers, \(customers) history entries, \(customers / 10) addresses, "
              + "database \(size) MiB: opened and migrated in \(elapsed)")
    }
}
