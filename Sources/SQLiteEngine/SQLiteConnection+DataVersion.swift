import CSQLite

extension SQLiteConnection {
    /// The main database's data version as this connection sees it (`SQLITE_FCNTL_DATA_VERSION`):
    /// it changes whenever a transaction commits a change to the file, on this connection or on any
    /// other, in any process. Asked inside a read (a row's statement active, or a transaction that
    /// has read), it is the version of that read's snapshot: two reads that see the same version
    /// see the same content. A connection's own uncommitted writes do not change it.
    ///
    /// - Returns: nil when this SQLite cannot tell (the file control came with 3.32): a caller then
    ///   keeps nothing across reads.
    public func dataVersion() -> UInt32? {
        var version: UInt32 = 0
        guard sqlite3_file_control(handle, "main", SQLITE_FCNTL_DATA_VERSION, &version) == SQLITE_OK else { return nil }
        return version
    }
}
