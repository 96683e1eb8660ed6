import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 16 rebuilds `customer_match_keys` with its kinds checked without an IN list: the
/// keys stay, the rule stays, and writing a key no longer fills an ephemeral table.
@Suite struct MatchKeyCheckMigrationTests {
    @Test func keysSurviveTheRebuildAndTheKindIsStillChecked() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        var author = Author.user(0)
        let before: [String]
        do {
            var options = StoreOptions()
            options.migrateUpTo = Migrations.matchKeyCheck.version - 1
            let store = try CustomerStore(path: path, options: options)
            author = .user(try insertLegacyUser(store, uid: 42, name: "carol", isAdministrator: true))
            try writingTodaysHistory(store) {
                _ = try store.createCustomer(NewCustomer(name: "Delta Oy", vatNumber: "FI12345671", country: "FI",
                                                         email: "info@delta.fi", phone: "09 123 4567"), by: author)
                _ = try store.createCustomer(NewCustomer(name: "Delta Ab", country: "SE"), by: author)
            }
            before = try Self.keys(store)
            store.close()
        }
        #expect(before.count == 5)

        let upgraded = try CustomerStore(path: path)
        defer { upgraded.close() }
        #expect(upgraded.appliedMigrations.contains(Migrations.matchKeyCheck.version))
        #expect(try Self.keys(upgraded) == before)
        #expect(try upgraded.findDuplicates(limit: 10, pageToken: nil).pairs.count == 1)
        #expect(throws: (any Error).self) {
            try upgraded.write { try $0.run("INSERT INTO customer_match_keys (kind, key, customer_id) VALUES ('fax', 'x', 1)") }
        }
        let plan = try explainedOpcodes(upgraded, CustomerStore.insertKeys.oneRowSQL)
        #expect(!plan.contains("OpenEphemeral"), "\(plan)")
        #expect(try Self.indexes(upgraded).contains("customer_match_keys_by_customer"))
    }

    private static func keys(_ store: CustomerStore) throws -> [String] {
        try store.write { connection in
            try connection.withStatement("SELECT kind, key, customer_id FROM customer_match_keys ORDER BY 1, 2, 3") {
                var rows: [String] = []
                while try $0.step() { rows.append("\($0.text(0)) \($0.text(1)) \($0.int64(2))") }
                return rows
            }
        }
    }

    private static func indexes(_ store: CustomerStore) throws -> Set<String> {
        try store.write { connection in
            try connection.withStatement("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer_match_keys'") {
                var names: Set<String> = []
                while try $0.step() { names.insert($0.text(0)) }
                return names
            }
        }
    }
}
