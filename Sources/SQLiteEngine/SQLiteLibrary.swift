import CSQLite

/// Process-wide settings of the SQLite library, applied once before the first connection opens.
enum SQLiteLibrary {
    /// Evaluated once (Swift's lazy globals are thread-safe) by every ``SQLiteConnection`` init
    /// before it opens, so no connection opens before the settings are in. No allocation
    /// statistics: nothing reads them (`sqlite3_status`), and keeping them takes a global mutex
    /// per allocation that concurrent readers contended on (see `customercard_sqlite3_config_no_memstatus`).
    /// Blocks freed are kept for the freeing thread's next allocation of their size
    /// (Sources/CSQLite/thread_cached_malloc.h): a read statement mallocs each text column's
    /// register per step and frees it per reset, and the library's own cache for that is compiled out.
    /// A code other than SQLITE_OK (another library in the process initialized SQLite first)
    /// leaves the statistics on and the default allocator: slower, not wrong.
    static let configured: Int32 = {
        let code = customercard_sqlite3_config_no_memstatus()
        let allocator = customercard_sqlite3_config_thread_cached_malloc()
        sqlite3_initialize()
        return code == SQLITE_OK ? allocator : code
    }()

    /// The VFS every connection opens with: "customercard-joining" (Sources/CSQLite/joining_vfs.h),
    /// SQLite's "unix-excl" writing each WAL frame's header and page with one `pwrite64` instead of
    /// two, or "unix-excl" itself should registering it fail. Registered once, after ``configured``.
    static let vfs: String = {
        _ = configured
        return customercard_sqlite3_register_joining_vfs() == SQLITE_OK ? "customercard-joining" : "unix-excl"
    }()
}
