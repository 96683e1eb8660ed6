import Foundation
import SQLiteEngine

/// Rebuilding tables for a change ALTER TABLE cannot make (migrations 8 and 17).
extension Migrations {
    /// Rebuilds `tables` with the CREATE TABLE text `rebuilt` makes of each one's stored text,
    /// following SQLite's procedure (SQLite docs, "ALTER TABLE", 7): create the new table, copy the
    /// rows, drop the old one, rename the new one, then recreate indexes, views and triggers from
    /// their stored text. Views and triggers go first: since 3.26 RENAME checks every one of them
    /// and fails on one that names a dropped table. Other tables' REFERENCES name tables by name,
    /// so they point at the rebuilt tables once those carry the old names. A table's AUTOINCREMENT
    /// sequence is kept as it was: DROP TABLE deletes it, and the copy alone would restart it at the
    /// largest id left, handing a deleted newest row's id out again.
    ///
    /// Run it from a migration made with `rebuildingTables` (foreign keys off, checked before commit).
    /// - Parameters:
    ///   - suffix: appended to a table's name while it is rebuilt.
    ///   - version: the migration's, for the error.
    ///   - rebuilt: the CREATE TABLE text for a table of the given name (`table` + `suffix`) from
    ///     the stored one; nil refuses the migration (the table is not as expected).
    /// - Throws: `failedPrecondition` when `rebuilt` returns nil; what SQLite throws.
    static func rebuildTables(_ connection: SQLiteConnection, _ tables: [String], suffix: String, version: Int,
                              _ rebuilt: (_ create: String, _ name: String) -> String?) throws {
        let viewsAndTriggers = try schemaText(connection, "type IN ('view', 'trigger') ORDER BY type = 'trigger', rowid")
        for (name, type) in try schemaNames(connection, "type IN ('view', 'trigger')") {
            try connection.execute("DROP \(type.uppercased()) \(quoted(name))")
        }
        for table in tables {
            let indexes = try schemaText(connection, "type = 'index' AND tbl_name = '\(table)' AND sql IS NOT NULL")
            guard let create = try schemaText(connection, "type = 'table' AND name = '\(table)'").first,
                  let rebuiltCreate = rebuilt(create, table + suffix) else {
                throw StoreError.unusable("migration \(version): table \(table) is not as version \(version - 1) left it")
            }
            let sequence = try autoincrementSequence(connection, table)
            try connection.execute("""
                \(rebuiltCreate);
                INSERT INTO \(table)\(suffix) SELECT * FROM \(quoted(table));
                DROP TABLE \(quoted(table));
                ALTER TABLE \(table)\(suffix) RENAME TO \(table);
                """)
            if let sequence {
                try connection.run("DELETE FROM sqlite_sequence WHERE name IN (?, ?)", [.text(table), .text(table + suffix)])
                try connection.run("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [.text(table), .integer(sequence)])
            }
            for index in indexes { try connection.execute(index) }
        }
        for text in viewsAndTriggers { try connection.execute(text) }
    }

    /// The table's entry in `sqlite_sequence`, if it has one (nil too when no table has AUTOINCREMENT yet).
    private static func autoincrementSequence(_ connection: SQLiteConnection, _ table: String) throws -> Int64? {
        guard try !schemaNames(connection, "type = 'table' AND name = 'sqlite_sequence'").isEmpty else { return nil }
        return try connection.withStatement("SELECT seq FROM sqlite_sequence WHERE name = ?") { statement in
            try statement.bind(.text(table), at: 1)
            return try statement.step() ? statement.int64(0) : nil
        }
    }

    /// A stored CREATE TABLE text under another name: what follows its first "(" kept as it is.
    static func createTable(_ create: String, renamedTo name: String) -> String? {
        guard let open = create.firstIndex(of: "(") else { return nil }
        return "CREATE TABLE \(name) " + create[open...]
    }

    /// The stored `sql` of the schema objects matching `condition`.
    static func schemaText(_ connection: SQLiteConnection, _ condition: String) throws -> [String] {
        try connection.withStatement("SELECT sql FROM sqlite_schema WHERE \(condition)") { statement in
            var texts: [String] = []
            while try statement.step() { texts.append(statement.text(0)) }
            return texts
        }
    }

    /// The names and types of the schema objects matching `condition`.
    static func schemaNames(_ connection: SQLiteConnection, _ condition: String) throws -> [(name: String, type: String)] {
        try connection.withStatement("SELECT name, type FROM sqlite_schema WHERE \(condition)") { statement in
            var names: [(String, String)] = []
            while try statement.step() { names.append((statement.text(0), statement.text(1))) }
            return names
        }
    }

    /// An SQL identifier in double quotes (a quote inside doubled).
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
