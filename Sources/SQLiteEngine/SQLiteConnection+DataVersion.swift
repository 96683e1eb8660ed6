import CSQLite

extension SQLiteConnection {
    /// The main database's data version as this connection sees it (`SQLITE_FCNTL_DATA_VERSION`):
    /// it changes whenever a transaction commits a change to the file, on this connection or on any
    /// other, in any process. Asked inside a read (a row's statement active, or a transaction that
    /// has read), it is the version of that read's snapshot: two reads that see the same version
    /// see the same content. A connection's own uncommitted writes do not change it.
    public func dataVersion() throws -> UInt32 {
        var version: UInt32 = 0
        let code = sqlite3_file_control(handle, "main", SQLITE_FCNTL_DATA_VERSION, &version)
        guard code == SQLITE_OK else { throw error(code: code, context: "SQLITE_FCNTL_DATA_VERSION") }
        return version
    }
}
