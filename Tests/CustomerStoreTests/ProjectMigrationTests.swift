import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct ProjectMigrationTests {
    /// A database of the contact-information schema (version 3) is upgraded in place: the history
    /// table the projects migration rebuilds keeps every row and id, erased values included, and
    /// the new history entities work on the rebuilt table.
    ///
    /// The version-3 rows are written with version-3 SQL: today's store methods write columns that
    /// later migrations added.
    @Test func version3HistoryIsKeptThroughTheRebuild() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        var old = StoreOptions()
        old.migrateUpTo = 3
        let adminID: Int64 = 1
        let rowsBefore: [String]
        do {
            let store = try CustomerStore(path: path, options: old)
            rowsBefore = try store.write { connection in
                // Version-3 SQL: today's addUser reads permission profiles, a later migration.
                try connection.run("INSERT INTO users (id, uid, name, is_administrator, created_at) VALUES (1, 7, 'dora', 1, 1000)")
                try connection.run("""
                    INSERT INTO customers (id, number, name, name_key, search_text, created_at, created_by, updated_at, updated_by)
                    VALUES (1, 10001, 'Legacy AB', 'legacy ab', 'legacy ab 10001', 1000, ?1, 1000, ?1)
                    """, [.integer(adminID)])
                try connection.run("""
                    INSERT INTO history (id, entity, entity_id, customer_id, action, at, by_user)
                    VALUES (1, 'customer', 1, 1, 'created', 1000, ?1), (2, 'contact', 5, 1, 'updated', 2000, ?1)
                    """, [.integer(adminID)])
                try connection.run("""
                    INSERT INTO history_changes (history_id, position, field, old_value, new_value, erased)
                    VALUES (2, 0, 'email', NULL, NULL, 1), (2, 1, 'title', 'CFO', 'CEO', 0)
                    """)
                return try Self.historyRows(connection)
            }
            store.close()
        }

        let upgraded = try CustomerStore(path: path)
        #expect(upgraded.appliedMigrations == Array(4...Migrations.latestVersion))
        // Read back through the store: since version 19 the changes are in the entry's row.
        let entries = try upgraded.history(.customer, id: 1) + upgraded.history(.contact, id: 5)
        #expect(Self.historyRows(entries) == rowsBefore)
        let history = try upgraded.history(.contact, id: 5)
        #expect(history.first?.changes.contains { $0.field == "email" && $0.erased } == true)

        // The rebuilt history takes the new entities and still refuses unknown actions.
        let sale = try upgraded.createSalesCase(customerID: 1, StoredProjectFields(name: "Deal"), by: .user(adminID))
        _ = try upgraded.winSalesCase(id: sale.id, by: .user(adminID))
        #expect(try upgraded.history(.project, id: sale.id).map(\.action) == ["created", "won"])
        #expect(storeError { try upgraded.write { try $0.run("""
            INSERT INTO history (entity, entity_id, customer_id, action, at, by_user) VALUES ('project', 1, 1, 'sold', 0, ?)
            """, [.integer(adminID)]) } } != nil)
        upgraded.close()
    }

    /// `historyRows(_:)`'s rows made of entries read through the store.
    static func historyRows(_ entries: [StoredHistoryEntry]) -> [String] {
        entries.sorted { $0.id < $1.id }.flatMap { entry in
            let head = ["\(entry.id)", entry.entity.rawValue, "\(entry.entityID)", entry.action,
                        "\(Int64(entry.at.timeIntervalSince1970 * 1000))"]
            guard !entry.changes.isEmpty else { return [(head + Array(repeating: "NULL", count: 4)).joined(separator: "|")] }
            return entry.changes.sorted { $0.field < $1.field }.map { change in
                (head + [change.field, change.oldValue ?? "NULL", change.newValue ?? "NULL", change.erased ? "1" : "0"])
                    .joined(separator: "|")
            }
        }
    }

    /// Every history row and change of a version-3 database, as text, in id order.
    static func historyRows(_ connection: SQLiteConnection) throws -> [String] {
        try connection.withStatement("""
            SELECT h.id, h.entity, h.entity_id, h.action, h.at, c.field, c.old_value, c.new_value, c.erased
            FROM history h LEFT JOIN history_changes c ON c.history_id = h.id ORDER BY h.id, c.field
            """) { statement in
            var rows: [String] = []
            while try statement.step() {
                rows.append((0..<9).map { statement.optionalText(Int32($0)) ?? "NULL" }.joined(separator: "|"))
            }
            return rows
        }
    }
}
