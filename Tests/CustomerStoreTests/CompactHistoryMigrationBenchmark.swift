import TestSupport
import Foundation
import Testing
@testable import CustomerStore

/// Not a test of speed (it asserts nothing about time): what migration 19 costs on a large
/// history, run on demand with `CUSTOMERSTORE_BENCH=1 swift test --filter CompactHistoryMigrationBenchmark`
/// (SQLite and the encoding do the work; a release build of the tests measures the encoding's part).
@Suite struct CompactHistoryMigrationBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CUSTOMERSTORE_BENCH"] != nil))
    func migration19With1000000EntriesOf10Changes() throws {
        let entries = 1_000_000, fields = 10
        let directory = try LegacyDatabaseBenchmark.database(migratedUpTo: Migrations.compactHistory.version - 1) { admin in
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(entries))
            INSERT INTO history (id, entity, entity_id, customer_id, action, at, by_user)
            SELECT i, 'customer', i, i, 'created', 1, \(admin) FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(entries)),
                           f(p) AS (SELECT 0 UNION ALL SELECT p + 1 FROM f WHERE p < \(fields - 1))
            INSERT INTO history_changes (history_id, position, field, old_value, new_value)
            SELECT i, p, 'field' || p, NULL, 'Value ' || i || ' of field ' || p FROM n, f;
            """
        }
        let size = LegacyDatabaseBenchmark.mebibytes(directory.databasePath)
        let (store, elapsed) = try LegacyDatabaseBenchmark.open(directory.databasePath)
        defer { store.close() }
        #expect(store.appliedMigrations.first == Migrations.compactHistory.version)
        #expect(try store.history(.customer, id: Int64(entries)).first?.changes.count == fields)
        print("migration 19: \(entries) history entries of \(fields) changes, database \(size) MiB: "
              + "opened and migrated in \(elapsed)")
    }
}
