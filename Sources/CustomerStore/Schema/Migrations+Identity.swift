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

    /// Rebuilds every table of `identityTables` with AUTOINCREMENT (`rebuildTables`), then seeds
    /// their sequences.
    static func rebuildWithAutoincrement(_ connection: SQLiteConnection) throws {
        try rebuildTables(connection, identityTables.map(\.table), suffix: "_v8", version: 8, autoincrementing)
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
}
