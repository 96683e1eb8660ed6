extension SQLiteConnection {
    /// Commits one write that changes nothing (the header's `user_version` set to the value it
    /// has), so that the WAL holds a commit before the first read. Call it on the writer of a WAL
    /// database as it opens, before readers start.
    ///
    /// Why: a read transaction learns the database's size from the WAL index's header, which
    /// holds it only once some transaction committed to the log; until then (a WAL that opening
    /// found empty: every start, since the last connection to close checkpoints and removes the
    /// log) each read transaction asks the file, one `fstat(2)` per read (SQLite's
    /// `pagerPagecount`): a fourth system call beside a get's poll, read and send
    /// (docs/performance/HISTORY.md "get15"). Checkpoints and log restarts keep the size, so one commit
    /// is enough.
    public func commitToLog() throws {
        let version = try Migrator.currentVersion(of: self)
        try execute("PRAGMA user_version = \(version)")
    }
}
