import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 19 moves each history entry's field changes from `history_changes` into the entry's
/// own row (`HistoryChangesText`): every reader answers as before.
@Suite struct CompactHistoryMigrationTests {
    /// A version-18 database, written with version-18 SQL (today's store writes the new column),
    /// is upgraded with its history intact: values with newlines, digits, the encoding's own
    /// letters and multi-byte text, empty values, NULLs, erased values and an entry without changes.
    @Test func version18HistoryReadsTheSameAfterTheUpgrade() throws {
        let directory = try TemporaryDirectory()
        var old = StoreOptions()
        old.migrateUpTo = Migrations.compactHistory.version - 1
        var admin: Int64 = 0
        do {
            let store = try CustomerStore(path: directory.databasePath, options: old)
            defer { store.close() }
            admin = try insertLegacyUser(store, uid: 1000, name: "alice", isAdministrator: true)
            try store.write { connection in
                try connection.run("""
                    INSERT INTO customers (id, number, name, name_key, search_text, created_at, created_by, updated_at, updated_by)
                    VALUES (1, 10001, 'Åland Öy', 'aland oy', 'aland oy', 1000, ?1, 4000, ?1);
                    """, [.integer(admin)])
                try connection.run("""
                    INSERT INTO history (id, entity, entity_id, customer_id, action, at, by_user, source)
                    VALUES (1, 'customer', 1, 1, 'created', 1000, ?1, NULL), (2, 'customer', 1, 1, 'updated', 2000, ?1, 'registry: X'),
                           (3, 'contact', 9, 1, 'updated', 3000, ?1, NULL), (4, 'address', 5, 1, 'deleted', 4000, ?1, NULL)
                    """, [.integer(admin)])
                try connection.run("""
                    INSERT INTO history_changes (history_id, position, field, old_value, new_value, erased) VALUES
                        (1, 0, 'name', NULL, 'Åland Öy', 0), (1, 1, 'description', NULL, 'b4:name' || char(10) || '12:x', 0),
                        (1, 2, 'active', NULL, 'true', 0),
                        (2, 1, 'email', 'old@example.fi', NULL, 0), (2, 0, 'phone', '', '+358 40 1', 0), (2, 2, 'website', NULL, NULL, 0),
                        (3, 0, 'email', NULL, NULL, 1), (3, 1, 'title', NULL, NULL, 1)
                    """)
            }
        }

        let store = try CustomerStore(path: directory.databasePath)
        defer { store.close() }
        #expect(store.appliedMigrations.first == Migrations.compactHistory.version)
        let user = StoredUserRef(id: admin, name: "alice")
        let customer = try store.history(.customer, id: 1)
        #expect(customer == [
            StoredHistoryEntry(id: 1, entity: .customer, entityID: 1, customerID: 1, action: "created", at: .init(milliseconds: 1000),
                               by: user, changes: [
                                   StoredFieldChange(field: "name", oldValue: nil, newValue: "Åland Öy"),
                                   StoredFieldChange(field: "description", oldValue: nil, newValue: "b4:name\n12:x"),
                                   StoredFieldChange(field: "active", oldValue: nil, newValue: "true"),
                               ], contact: nil),
            StoredHistoryEntry(id: 2, entity: .customer, entityID: 1, customerID: 1, action: "updated", at: .init(milliseconds: 2000),
                               by: user, changes: [
                                   StoredFieldChange(field: "phone", oldValue: "", newValue: "+358 40 1"),
                                   StoredFieldChange(field: "email", oldValue: "old@example.fi", newValue: nil),
                                   StoredFieldChange(field: "website", oldValue: nil, newValue: nil),
                               ], contact: nil, source: "registry: X"),
        ])
        let contact = try store.history(.contact, id: 9)
        #expect(contact.map(\.changes) == [[StoredFieldChange(field: "email", oldValue: nil, newValue: nil, erased: true),
                                             StoredFieldChange(field: "title", oldValue: nil, newValue: nil, erased: true)]])
        #expect(try store.history(.address, id: 5).map(\.changes) == [[]])
        // The change feed reads the same entries.
        let feed = try store.changes(after: 0, filter: ChangeFeedFilter(), limit: 100).entries
        #expect(feed.map(\.id) == [1, 2, 3, 4])
        #expect(Array(feed.prefix(2)) == customer)
        #expect(try store.write { connection in
            try connection.withStatement("SELECT count(*) FROM sqlite_schema WHERE name = 'history_changes'") { statement in
                _ = try statement.step()
                return statement.int64(0)
            }
        } == 0)
        // New entries follow the old ones.
        let created = try store.createCustomer(NewCustomer(name: "After Oy"), by: .user(admin))
        let after = try store.history(.customer, id: created.id)
        #expect(after.map(\.id) == [5])
        #expect(after.first?.changes.contains(StoredFieldChange(field: "name", oldValue: nil, newValue: "After Oy")) == true)
    }

    /// Whatever text a field holds comes back as it went in, in order, erased flags too.
    @Test func changesRoundTripThroughTheirText() throws {
        var random = SeededGenerator(seed: 19)
        let alphabet = Array("ab:019-enob\n\t Åö€😀\"'")
        func text() -> String {
            String((0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "a" })
        }
        for _ in 0..<500 {
            let changes = (0..<Int.random(in: 0...6, using: &random)).map { _ -> StoredFieldChange in
                if Int.random(in: 0..<5, using: &random) == 0 {
                    return StoredFieldChange(field: text(), oldValue: nil, newValue: nil, erased: true)
                }
                return StoredFieldChange(field: text(), oldValue: Bool.random(using: &random) ? text() : nil,
                                         newValue: Bool.random(using: &random) ? text() : nil)
            }
            let encoded = HistoryChangesText.encode(changes)
            #expect((encoded == nil) == changes.isEmpty)
            #expect(try encoded.map { try HistoryChangesText.decode($0, entryID: 1) } ?? [] == changes)
        }
        #expect(HistoryChangesText.encode([StoredFieldChange(field: "name", oldValue: "Old Oy", newValue: "Ab Öy"),
                                           StoredFieldChange(field: "email", oldValue: nil, newValue: "a@b.fi")])
                == "b4:name6:Old Oy6:Ab Öyn5:email6:a@b.fi")
    }

    /// A stored text that is not of the encoding is refused as data loss, never a trap.
    @Test func malformedChangesAreDataLossNamingTheEntry() {
        for text in ["x4:name", "n4:name", "n4:name9:short", "n:name", "n4name", "n99999999999:a", "b4:name3:old", "n-1:a", "n4:name4:Acm"] {
            let error = storeError { _ = try HistoryChangesText.decode(text, entryID: 77) }
            guard case .dataLoss(let message)? = error else {
                Issue.record("\(text): \(String(describing: error))")
                continue
            }
            #expect(message.contains("history entry 77"), "\(text): \(message)")
        }
    }
}

/// Runs `body`, which writes with today's store methods, on a database migrated only up to an
/// older version, for tests of older migrations that are not about the history: today's writes
/// fill `history.changes` (version 19) and `history.manager_id` (version 28), so the columns the
/// database lacks are there while `body` runs, and are dropped with what they wrote into them
/// before the database is upgraded (the entries stay, without changes or manager).
func writingTodaysHistory<T>(_ store: CustomerStore, _ body: () throws -> T) throws -> T {
    let later = [(name: "changes", type: "TEXT"), (name: "manager_id", type: "INTEGER")]
    let missing = try store.write { connection in
        let present = try connection.withStatement("SELECT name FROM pragma_table_info('history')") { statement in
            var names: Set<String> = []
            while try statement.step() { names.insert(statement.text(0)) }
            return names
        }
        return later.filter { !present.contains($0.name) }
    }
    try store.write { connection in
        for column in missing { try connection.execute("ALTER TABLE history ADD COLUMN \(column.name) \(column.type)") }
    }
    let result = try body()
    try store.write { connection in
        for column in missing.reversed() { try connection.execute("ALTER TABLE history DROP COLUMN \(column.name)") }
    }
    return result
}
