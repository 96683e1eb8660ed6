import CSQLite

/// The checks the writer makes at open, before anything is written: a database that would only
/// fail later, call by call, is refused at once with a reason the operator can act on.
extension SQLiteConnection {
    /// SQLITE_OPEN_READWRITE opens a file it may not write read-only without an error (sqlite3.h:
    /// "opened for reading and writing if possible, or reading only if the file is write
    /// protected"); every write would then fail with SQLITE_READONLY.
    func requireWritable() throws {
        if sqlite3_db_readonly(handle, "main") == 1 {
            throw StoreOpeningError(path: path, reason: .readOnly)
        }
    }

    /// `PRAGMA quick_check`: reads every page of every table and index and checks their structure
    /// (not that indexes match their tables: that is integrity_check, several times slower).
    /// Damage found, or SQLite stopping on a corrupt page, refuses the database.
    func requireIntact() throws {
        var findings: [String] = []
        do {
            try withStatement("PRAGMA quick_check(\(Self.quickCheckFindings))") { statement in
                while try statement.step() {
                    findings.append(statement.optionalText(0) ?? "")
                }
            }
        } catch StoreError.sqlite(let code, let message, _) where code & 0xFF == SQLITE_CORRUPT || code & 0xFF == SQLITE_NOTADB {
            findings = [message]
        } catch StoreError.notADatabase {
            findings = ["file is not a database"]
        }
        if findings != ["ok"] {
            throw StoreOpeningError(path: path, reason: .damaged(findings: findings))
        }
    }

    /// The main database file's size in bytes, as SQLite counts it (pages times page size).
    func databaseSize() throws -> Int64 {
        let pages = Int64(try pragma("page_count") ?? "") ?? 0
        let pageSize = Int64(try pragma("page_size") ?? "") ?? 0
        return pages.multipliedReportingOverflow(by: pageSize).overflow ? .max : pages * pageSize
    }

    /// How many problems quick_check lists before it stops: enough to say what is wrong.
    static let quickCheckFindings = 5
}
