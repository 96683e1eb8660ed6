import CSQLite

/// Facts about the database file that a writer checks at open, before anything is written.
extension SQLiteConnection {
    /// Whether the main database was opened read-only although it was asked for read-write:
    /// SQLITE_OPEN_READWRITE opens a file it may not write read-only without an error (sqlite3.h:
    /// "opened for reading and writing if possible, or reading only if the file is write
    /// protected"), and every write then fails with SQLITE_READONLY.
    public var isReadOnly: Bool {
        sqlite3_db_readonly(handle, "main") == 1
    }

    /// `PRAGMA quick_check(limit)`: reads every page of every table and index and checks their
    /// structure (not that indexes match their tables: that is integrity_check, several times slower).
    ///
    /// - Returns: `["ok"]` for an intact database, otherwise up to `limit` findings as SQLite
    ///   words them (SQLite stopping on a corrupt page, or a file that is not a database, is one finding).
    public func quickCheck(limit: Int) throws -> [String] {
        var findings: [String] = []
        do {
            try withStatement("PRAGMA quick_check(\(limit))") { statement in
                while try statement.step() {
                    findings.append(statement.optionalText(0) ?? "")
                }
            }
        } catch let error as SQLiteError where error.primaryCode == SQLITE_CORRUPT || error.primaryCode == SQLITE_NOTADB {
            findings = [error.message]
        }
        return findings
    }

    /// The main database file's size in bytes, as SQLite counts it (pages times page size).
    public func databaseSize() throws -> Int64 {
        let pages = Int64(try pragma("page_count") ?? "") ?? 0
        let pageSize = Int64(try pragma("page_size") ?? "") ?? 0
        return pages.multipliedReportingOverflow(by: pageSize).overflow ? .max : pages * pageSize
    }
}
