import SQLiteEngine

extension Migrations {
    /// Version 28: the customer's account manager kept with each history entry (feed26), so an
    /// own-scope watcher of the change feed is told when its customer leaves it: the hand-off, the
    /// erasure's tombstone and the merged event name the manager the customer had (`HistoryLog.Manager`).
    /// - Entries written before stay NULL: the feed keeps them by the customer's manager now, as before.
    /// - No foreign key: users are never removed, and a key would cost every history row (a create's
    ///   and each imported row's) a lookup in `users` at COMMIT; the feed only compares the number.
    /// - No index: the feed reads a window of entries by id and tests each row's own column.
    static let historyManager = Migration(version: 28, name: "history manager", sql: """
        ALTER TABLE history ADD COLUMN manager_id INTEGER;
        """)
}
