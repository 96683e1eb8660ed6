import CSQLite

extension SQLiteConnection {
    /// Rewrites the stored CREATE TABLE text of tables in place, inside the caller's transaction
    /// (a migration's), as SQLite's ALTER TABLE page allows for changes that leave every stored row
    /// and index as it is (SQLite docs, "ALTER TABLE", 7: removing CHECK or FOREIGN KEY
    /// constraints, changing defaults): `PRAGMA writable_schema`, the UPDATE of `sqlite_schema`,
    /// then the schema cookie moved on so that this connection and every other one read the new
    /// text. The writer forbids all three (`SQLITE_DBCONFIG_DEFENSIVE`): lifted for this call only.
    ///
    /// Why not a rebuild: copying a table and rebuilding its indexes costs time in the number of
    /// its rows, at the start-up that runs the migration; this is the same few statements at any size.
    /// - Parameter edits: each table's new CREATE TABLE text, by name. The caller makes sure the
    ///   rows already satisfy it (SQLite checks nothing here).
    /// - Throws: `SQLITE_MISUSE` outside a transaction or when a table is missing; what SQLite
    ///   throws (a text it cannot parse fails when the schema is read again, here: the caller's
    ///   transaction then rolls back whole).
    public func replaceStoredTableText(_ edits: [(table: String, create: String)]) throws {
        guard isInTransaction else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "the stored schema is edited only inside a transaction",
                              context: "editing the stored schema")
        }
        let cookie = Int64(try pragma("schema_version") ?? "") ?? 0
        _ = customercard_sqlite3_db_config_defensive(handle, 0)
        defer { _ = customercard_sqlite3_db_config_defensive(handle, role == .writer ? 1 : 0) }
        try execute("PRAGMA writable_schema = ON")
        do {
            for (table, create) in edits {
                try run("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?", [.text(create), .text(table)])
                guard changes == 1 else {
                    throw SQLiteError(code: SQLITE_MISUSE, message: "no table \(table) to edit", context: "editing the stored schema")
                }
            }
            try execute("PRAGMA schema_version = \(cookie + 1)")
        } catch {
            try? execute("PRAGMA writable_schema = OFF")
            throw error
        }
        try execute("PRAGMA writable_schema = OFF")
        // Reads the schema again now, so a text SQLite cannot parse fails here.
        try withStatement("SELECT count(*) FROM sqlite_schema") { _ = try $0.step() }
    }
}
