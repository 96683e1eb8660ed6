import Foundation
import SQLiteEngine

extension Migrations {
    /// Version 8: a record's id and a customer's number are never handed out twice (issue 12).
    ///
    /// - Every table whose rows have an `id` becomes `id INTEGER PRIMARY KEY AUTOINCREMENT`. Without
    ///   it SQLite gives a new row the largest id in the table plus one, so deleting the newest
    ///   customer handed its id (and so its history) to the next one; with it an id is never
    ///   reused (SQLite docs, "SQLite Autoincrement"). SQLite cannot add AUTOINCREMENT to a table,
    ///   so each is rebuilt (`rebuild`): every row keeps its id.
    /// - Each table's `sqlite_sequence` entry starts at the highest id ever used, including ids
    ///   that only the history still names (a deleted customer, address, file, ...).
    /// - `retired_customer_numbers` keeps the numbers of deleted and renumbered customers, so
    ///   automatic numbering can skip them without following every manual number (see
    ///   `CustomerStore.nextNumber`). A sequence already past `CustomerNumber.range` (someone
    ///   gave a number like 9223372036854775807) restarts after the highest valid number in use.
    static let identity = Migration(version: 8, name: "ids never reused, customer numbers retired",
                                    rebuildingTables: { connection in
        try rebuildWithAutoincrement(connection)
        try connection.execute("""
            CREATE TABLE retired_customer_numbers (number INTEGER PRIMARY KEY);
            INSERT OR IGNORE INTO retired_customer_numbers (number)
            SELECT CAST(old_value AS INTEGER) FROM history_changes
            WHERE field = 'number' AND old_value IS NOT NULL
              AND CAST(old_value AS INTEGER) NOT IN (SELECT number FROM customers);
            UPDATE customer_number_sequence
            SET last_number = max(10000, coalesce((SELECT max(number) FROM customers WHERE number < \(CustomerNumber.range.upperBound)), 0))
            WHERE last_number >= \(CustomerNumber.range.upperBound);
            """)
    })

    /// The tables whose ids the API exposes (all tables with an `id` column), with what else may
    /// still name an id of theirs that is no longer in the table: the history's entries and the
    /// values it recorded.
    static let identityTables: [(table: String, alsoNamedBy: [String])] = [
        ("users", []),
        ("permission_profiles", []),
        ("customers", ["SELECT max(customer_id) FROM history",
                       "SELECT max(entity_id) FROM history WHERE entity = 'customer'"]),
        ("addresses", ["SELECT max(entity_id) FROM history WHERE entity = 'address'",
                       """
                       SELECT max(max(coalesce(CAST(old_value AS INTEGER), 0), coalesce(CAST(new_value AS INTEGER), 0)))
                       FROM history_changes WHERE field = 'headOffice'
                       """]),
        ("contacts", ["SELECT max(entity_id) FROM history WHERE entity = 'contact'"]),
        ("labels", []),
        ("activities", []),
        ("history", []),
        ("segments", []),
        ("industries", []),
        // "files.12" and "links.12.title": the id is the number after the first dot.
        ("files", ["SELECT max(CAST(substr(field, 7) AS INTEGER)) FROM history_changes WHERE field GLOB 'files.[0-9]*'"]),
        ("links", ["SELECT max(CAST(substr(field, 7) AS INTEGER)) FROM history_changes WHERE field GLOB 'links.[0-9]*'"]),
        ("projects", ["SELECT max(entity_id) FROM history WHERE entity = 'project'"]),
        ("project_tasks", ["SELECT max(entity_id) FROM history WHERE entity = 'projectTask'"]),
        ("collaboration_notes", ["SELECT max(entity_id) FROM history WHERE entity = 'collaborationNote'"]),
        ("invoices", ["SELECT max(entity_id) FROM history WHERE entity = 'invoice'"]),
    ]

    /// Rebuilds every table of `identityTables` with AUTOINCREMENT, following SQLite's procedure
    /// for schema changes ALTER TABLE cannot make (SQLite docs, "ALTER TABLE", 7): create the new
    /// table, copy the rows, drop the old one, rename the new one, then recreate indexes, views
    /// and triggers from their stored text. Views and triggers go first: since 3.26 RENAME checks
    /// every one of them and fails on one that names a dropped table. Other tables' REFERENCES
    /// name tables by name, so they point at the rebuilt tables once those carry the old names.
    static func rebuildWithAutoincrement(_ connection: SQLiteConnection) throws {
        let viewsAndTriggers = try schemaText(connection, "type IN ('view', 'trigger') ORDER BY type = 'trigger', rowid")
        for (name, type) in try schemaNames(connection, "type IN ('view', 'trigger')") {
            try connection.execute("DROP \(type.uppercased()) \(quoted(name))")
        }
        for (table, _) in identityTables {
            let indexes = try schemaText(connection, "type = 'index' AND tbl_name = '\(table)' AND sql IS NOT NULL")
            guard let create = try schemaText(connection, "type = 'table' AND name = '\(table)'").first,
                  let rebuilt = autoincrementing(create, as: "\(table)_v8") else {
                throw StoreError.failedPrecondition("migration 8: table \(table) is not as version 7 left it")
            }
            try connection.execute("""
                \(rebuilt);
                INSERT INTO \(table)_v8 SELECT * FROM \(quoted(table));
                DROP TABLE \(quoted(table));
                ALTER TABLE \(table)_v8 RENAME TO \(table);
                """)
            for index in indexes { try connection.execute(index) }
        }
        for text in viewsAndTriggers { try connection.execute(text) }
        try seedSequences(connection)
    }

    /// Sets each rebuilt table's sequence to the highest id it or the history ever held.
    private static func seedSequences(_ connection: SQLiteConnection) throws {
        for (table, alsoNamedBy) in identityTables {
            let candidates = (["SELECT max(id) FROM \(table)"] + alsoNamedBy).map { "coalesce((\($0)), 0)" }
            try connection.run("DELETE FROM sqlite_sequence WHERE name IN (?, ?)", [.text(table), .text("\(table)_v8")])
            try connection.execute("""
                INSERT INTO sqlite_sequence (name, seq) VALUES ('\(table)', max(0, \(candidates.joined(separator: ", "))))
                """)
        }
    }

    /// `create` (a table's stored CREATE TABLE text) for a table named `name` whose leading
    /// `id INTEGER PRIMARY KEY` is AUTOINCREMENT; nil when the text is not of that shape.
    static func autoincrementing(_ create: String, as name: String) -> String? {
        let key = "id INTEGER PRIMARY KEY,"
        guard let open = create.firstIndex(of: "(") else { return nil }
        let columns = create[create.index(after: open)...]
        let leading = columns.drop { $0.isWhitespace }
        guard leading.hasPrefix(key) else { return nil }
        return "CREATE TABLE \(name) (" + columns[columns.startIndex..<leading.startIndex]
            + "id INTEGER PRIMARY KEY AUTOINCREMENT," + leading.dropFirst(key.count)
    }

    /// The stored `sql` of the schema objects matching `condition`.
    private static func schemaText(_ connection: SQLiteConnection, _ condition: String) throws -> [String] {
        try connection.withStatement("SELECT sql FROM sqlite_schema WHERE \(condition)") { statement in
            var texts: [String] = []
            while try statement.step() { texts.append(statement.text(0)) }
            return texts
        }
    }

    /// The names and types of the schema objects matching `condition`.
    private static func schemaNames(_ connection: SQLiteConnection, _ condition: String) throws
        -> [(name: String, type: String)] {
        try connection.withStatement("SELECT name, type FROM sqlite_schema WHERE \(condition)") { statement in
            var names: [(String, String)] = []
            while try statement.step() { names.append((statement.text(0), statement.text(1))) }
            return names
        }
    }

    /// An SQL identifier in double quotes (a quote inside doubled).
    private static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
