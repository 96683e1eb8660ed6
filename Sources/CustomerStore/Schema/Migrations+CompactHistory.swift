import SQLiteEngine

extension Migrations {
    /// Version 19: a history entry carries its field changes in its own row (issues 15 and 17).
    ///
    /// `history_changes` held one row per changed field: a created or imported customer wrote ~10
    /// of them, each a B-tree insert plus a foreign-key lookup of its entry, about half of what
    /// SQLite did for the row (callgrind). The changes move into `history.changes`, one text value
    /// per entry (`HistoryChangesText`), in their positions' order, erased flags kept; then the
    /// table goes. No reader filters by field in SQL (erasure finds a record's entries by
    /// `history_by_entity`), so nothing of it needs an index.
    ///
    /// In code: the encoding counts UTF-8 bytes, which SQL's length() (characters) does not. The
    /// rows are read in primary-key order, entry by entry, so the copy is one scan and one UPDATE
    /// per entry with changes, written as the scan goes.
    static let compactHistory = Migration(version: 19, name: "history changes in their entry's row", code: { connection in
        try connection.execute("ALTER TABLE history ADD COLUMN changes TEXT")
        try connection.withStatement("""
            SELECT history_id, field, old_value, new_value, erased FROM history_changes ORDER BY history_id, position
            """) { statement in
            var current: Int64?
            var changes: [StoredFieldChange] = []
            // Written as each entry ends: another table than the one read, so SQLite allows it,
            // and a large history is never held in memory whole.
            func finish() throws {
                if let current, let text = HistoryChangesText.encode(changes) {
                    try connection.run("UPDATE history SET changes = ? WHERE id = ?", [.text(text), .integer(current)])
                }
                changes.removeAll(keepingCapacity: true)
            }
            while try statement.step() {
                let id = statement.int64(0)
                if id != current {
                    try finish()
                    current = id
                }
                changes.append(StoredFieldChange(field: statement.text(1), oldValue: statement.optionalText(2),
                                                 newValue: statement.optionalText(3), erased: statement.int64(4) != 0))
            }
            try finish()
        }
        try connection.execute("DROP TABLE history_changes")
    })
}
