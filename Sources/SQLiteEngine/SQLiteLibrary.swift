import CSQLite

/// Process-wide settings of the SQLite library, applied once before the first connection opens.
enum SQLiteLibrary {
    /// Evaluated once (Swift's lazy globals are thread-safe) by every ``SQLiteConnection`` init
    /// before it opens, so no connection opens before the settings are in. No allocation
    /// statistics: nothing reads them (`sqlite3_status`), and keeping them takes a global mutex
    /// per allocation that concurrent readers contended on (see `customercard_sqlite3_config_no_memstatus`).
    /// A code other than SQLITE_OK (another library in the process initialized SQLite first)
    /// leaves the statistics on: slower under contention, not wrong.
    static let configured: Int32 = {
        let code = customercard_sqlite3_config_no_memstatus()
        sqlite3_initialize()
        return code
    }()

    /// The VFS every connection opens with: "customercard-joining" (Sources/CSQLite/joining_vfs.h),
    /// SQLite's "unix-excl" writing each WAL frame's header and page with one `pwrite64` instead of
    /// two, or "unix-excl" itself should registering it fail. Registered once, after ``configured``.
    static let vfs: String = {
        _ = configured
        return customercard_sqlite3_register_joining_vfs() == SQLITE_OK ? "customercard-joining" : "unix-excl"
    }()
}
