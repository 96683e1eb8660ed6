import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 17 rebuilds addresses, activities, projects and customer settings with their value
/// lists checked by `=` chains: the rows, sequences, indexes, triggers and views stay, each rule
/// still refuses a value outside its list, and writing a row no longer fills an ephemeral table.
@Suite struct InListCheckMigrationTests {
    @Test func rowsSurviveTheRebuildAndEveryListIsStillChecked() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        let before: [String: [String]], schemaBefore: [String], sequencesBefore: [String]
        do {
            var options = StoreOptions()
            options.migrateUpTo = Migrations.inListChecks.version - 1
            let store = try CustomerStore(path: path, options: options)
            let author = Author.user(try insertLegacyUser(store, uid: 42, name: "carol", isAdministrator: true))
            let customer = try writingTodaysHistory(store) {
                try store.createCustomer(NewCustomer(name: "Delta Oy", country: "FI"), by: author)
            }
            try store.write { connection in
                let user = author.userID, id = customer.id
                try connection.execute("""
                    INSERT INTO addresses (customer_id, country, kind, created_at, created_by, updated_at, updated_by)
                        VALUES (\(id), 'FI', 'postal', 1, \(user), 1, \(user)), (\(id), 'FI', 'billing', 1, \(user), 1, \(user));
                    INSERT INTO activities (customer_id, kind, subject, created_at, created_by, updated_at, updated_by)
                        VALUES (\(id), 'note', 'Met them', 1, \(user), 1, \(user));
                    INSERT INTO projects (customer_id, kind, name, outcome, created_at, created_by, updated_at, updated_by)
                        VALUES (\(id), 'salesCase', 'Renewal', 'open', 1, \(user), 1, \(user));
                    INSERT INTO customer_settings (customer_id, invoice_channel, updated_at, updated_by)
                        VALUES (\(id), 'paper', 1, \(user));
                    -- The newest address is deleted: its id must not be handed out again after the rebuild.
                    DELETE FROM addresses WHERE kind = 'billing';
                    """)
            }
            before = try Self.rows(store)
            schemaBefore = try Self.schema(store)
            sequencesBefore = try Self.sequences(store)
            store.close()
        }
        #expect(before.values.allSatisfy { !$0.isEmpty }, "\(before)")

        let upgraded = try CustomerStore(path: path)
        defer { upgraded.close() }
        #expect(upgraded.appliedMigrations.contains(Migrations.inListChecks.version))
        #expect(try Self.rows(upgraded) == before)
        // As before but what later migrations change: the activity list's view, which migration 18
        // drops (its one reader selects itself), the history's tables, whose changes 19 moves
        // into the entry's row, the trigger on new customers' head office, which 20 drops, and the
        // contacts' index by customer, which 21 replaces by one in their listed order, the
        // customers' index by name, which 22 drops, their index by account manager, which 23
        // makes partial, the idempotency keys' clock, which 24 adds, the customers' and match keys'
        // foreign keys and CHECKs, which 25 edits, and the unique names' fold column, its indexes and
        // the table of renamings, which 26 adds (the column taken out of the tables' SQL, which the
        // comparison keeps), and the search index and its tables, which 29 adds.
        let laterChanges = ["table customer_search", "view customer_activity_items ", "table history ", "table history_changes ",
                            "index sqlite_autoindex_history_changes_1 ", "trigger customers_head_office_on_insert ",
                            "index contacts_by_customer ", "index contacts_listed ", "index customers_by_name ",
                            "index customers_by_account_manager ", "table idempotency_key_clock ", "table customers ",
                            "table customer_match_keys ", "table renamed_names "]
            + UniqueName.all.map { "index \($0.index) " }
        #expect(try Self.schema(upgraded).filter { object in !laterChanges.contains { object.hasPrefix($0) } }
                    .map { $0.replacingOccurrences(of: ", name_fold TEXT", with: "") }
                == schemaBefore.filter { object in !laterChanges.contains { object.hasPrefix($0) } })
        #expect(try Self.sequences(upgraded) == sequencesBefore)

        for (table, column, values) in Migrations.inListCheckedColumns {
            let refusal = try upgraded.write { connection -> SQLiteError? in
                do {
                    try connection.run("UPDATE \(table) SET \(column) = 'fax'")
                    return nil
                } catch let error as SQLiteError {
                    return error
                }
            }
            // Refused by the rewritten rule (SQLite names the failed CHECK by its text).
            #expect(refusal?.message.contains("\(column) = '\(values[0])' OR") == true, "\(table): \(String(describing: refusal))")
            let plan = try explainedOpcodes(upgraded, "UPDATE \(table) SET \(column) = ?")
            #expect(!plan.contains("OpenEphemeral"), "\(table): \(plan)")
        }
    }

    /// Every row of the rebuilt tables, as text, by table.
    private static func rows(_ store: CustomerStore) throws -> [String: [String]] {
        try store.write { connection in
            var rows: [String: [String]] = [:]
            for (table, _, _) in Migrations.inListCheckedColumns {
                rows[table] = try connection.withStatement("SELECT * FROM \(table) ORDER BY rowid") { statement in
                    var texts: [String] = []
                    while try statement.step() {
                        texts.append((0..<statement.columnCount).map { statement.optionalText($0) ?? "NULL" }.joined(separator: "|"))
                    }
                    return texts
                }
            }
            return rows
        }
    }

    /// The schema's objects with their text, the four tables' own text left out (it is what changed).
    private static func schema(_ store: CustomerStore) throws -> [String] {
        let rebuilt = Migrations.inListCheckedColumns.map { "'\($0.table)'" }.joined(separator: ", ")
        return try store.write { connection in
            try connection.withStatement("""
                SELECT type, name, tbl_name, CASE WHEN type = 'table' AND name IN (\(rebuilt)) THEN '' ELSE sql END
                FROM sqlite_schema ORDER BY type, name
                """) { statement in
                var objects: [String] = []
                while try statement.step() {
                    objects.append("\(statement.text(0)) \(statement.text(1)) \(statement.text(2)) \(statement.optionalText(3) ?? "")")
                }
                return objects
            }
        }
    }

    private static func sequences(_ store: CustomerStore) throws -> [String] {
        try store.write { connection in
            try connection.withStatement("SELECT name, seq FROM sqlite_sequence ORDER BY name") { statement in
                var rows: [String] = []
                while try statement.step() { rows.append("\(statement.text(0)) \(statement.int64(1))") }
                return rows
            }
        }
    }
}
