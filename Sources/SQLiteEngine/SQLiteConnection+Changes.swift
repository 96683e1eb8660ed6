import CSQLite

extension SQLiteConnection {
    /// Rows inserted, updated or deleted by every statement this connection completed since it
    /// opened, trigger programs' included (`sqlite3_total_changes64`). A statement that failed and
    /// was undone adds nothing (SQLite counts a statement's rows only when it ends without rolling
    /// back), so an unchanged count across some work means that work changed no row.
    public var totalChanges: Int64 {
        sqlite3_total_changes64(handle)
    }

    /// Whether a transaction is open (`sqlite3_get_autocommit` is 0). Some errors roll back the
    /// whole transaction (SQLite docs, "Response To Errors Within A Transaction"): then it is not.
    public var isInTransaction: Bool {
        sqlite3_get_autocommit(handle) == 0
    }
}
