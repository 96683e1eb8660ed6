import CSQLite
import Foundation
import SQLiteEngine

extension StoreError {
    /// Field names (API spelling) of the unique columns, keyed by SQLite's `table.column`.
    private static let uniqueFields: [String: String] = [
        "customers.number": "number",
        "projects.number": "number",
        "users.uid": "uid",
        "users.name": "name",
        "labels.kind, labels.name": "name",
        "industries.name": "name",
        "index 'segments_by_parent_name'": "name",
        "permission_profiles.name": "name",
        "users.name_fold": "name",
        "labels.kind, labels.name_fold": "name",
        "industries.name_fold": "name",
        "index 'segments_by_parent_name_fold'": "name",
        "permission_profiles.name_fold": "name",
    ]

    /// The one place where SQLite result codes become store errors; any other failure keeps the
    /// engine's error as its cause (`.sqlite`).
    ///
    /// SQLite's own messages for constraints name tables and columns, never the bound values, so
    /// they can be passed on.
    init(_ error: SQLiteError) {
        switch error.code {
        case SQLiteError.constraintUnique, SQLiteError.constraintPrimaryKey:
            // The message reads "UNIQUE constraint failed: customers.number".
            let column = error.message.split(separator: ":", maxSplits: 1).last
                .map { String($0).trimmingWhitespace() } ?? ""
            let field = Self.uniqueFields[column] ?? column
            self = .alreadyExists("is already taken", field: field)
            return
        case SQLiteError.constraintForeignKey:
            self = .brokenRule("a referenced record does not exist or is still referenced", context: error.context)
            return
        case SQLiteError.constraintTrigger:
            // RAISE(ABORT, ...) in the schema's triggers: the message is ours and names no values.
            self = .brokenRule(error.message, context: error.context)
            return
        default:
            break
        }
        switch error.primaryCode {
        case SQLITE_BUSY, SQLITE_LOCKED:
            // The statement (`context`) is SQL, which a caller is not shown.
            self = .unavailable("the database is busy; try again")
        case SQLITE_INTERRUPT:
            self = .cancelled
        case SQLITE_ABORT:
            // A transaction this write was part of was rolled back for another's failure (a commit
            // group whose member failed after changing rows): nothing of it was written, and the
            // same write sent again runs in a new group.
            self = .unavailable("the write was rolled back with the commit group it shared with another write that "
                + "failed; nothing of it was written, try again")
        case SQLITE_NOTADB:
            self = .notADatabase(error.context)
        case SQLITE_FULL:
            // unixWrite turns ENOSPC (and EDQUOT) into SQLITE_FULL; the transaction is rolled back,
            // readers are unaffected, and the next write works once space is freed.
            self = .resourceExhausted(Self.diskFullMessage)
        case SQLITE_IOERR where [EFBIG, ENOSPC, EDQUOT].contains(error.systemErrno)
                || (error.code == Self.ioErrorWrite && Self.fileSizeIsLimited):
            // A write past the file-size limit (RLIMIT_FSIZE: `ulimit -f`, systemd's LimitFSIZE=)
            // fails EFBIG once SIGXFSZ is ignored (RPCServer), and SQLite reports a write that
            // failed outright as SQLITE_IOERR_WRITE, not SQLITE_FULL: to the caller it is the same.
            // SQLite's errno of a failed COMMIT is often 0 (the rollback ran since), so under a
            // limit a failed write is taken for it.
            self = .resourceExhausted(Self.diskFullMessage)
        case SQLITE_CANTOPEN where [EMFILE, ENFILE].contains(error.systemErrno):
            // A file SQLite opens as it goes (a temporary file for a sort, say) when every
            // descriptor is taken: nothing was written, and the call works once some are closed.
            self = .resourceExhausted(Self.descriptorsExhaustedMessage)
        default:
            self = .sqlite(error)
        }
    }

    /// `SQLITE_IOERR_WRITE`: a function-like macro in sqlite3.h.
    static let ioErrorWrite = SQLITE_IOERR | (3 << 8)

    /// `SQLITE_IOERR_SHORT_READ`: a read found a file shorter than SQLite wrote it (`DatabaseFileWatch`).
    static let ioErrorShortRead = SQLITE_IOERR | (2 << 8)

    /// Whether this process runs under a file-size limit (read when a write failed, never cached:
    /// `prlimit` may change it while the server runs).
    static var fileSizeIsLimited: Bool {
        var limit = rlimit()
        return getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max
    }

    static let descriptorsExhaustedMessage = "the server has no file descriptor free (its connections and files took "
        + "them all); nothing was written, try again when some have closed"

    static let fileSpaceExhaustedMessage = "the server's disk is full or its quota reached: no space left for file "
        + "content (an upload, an import in progress); nothing of it was kept, try again when space is freed"

    static let diskFullMessage = "the database's disk is full or its file size limit reached; "
        + "writes fail until space is freed or the limit raised (reads still work)"

    /// `error` as the store reports it: the engine's errors become store errors, any other
    /// error (a store error thrown inside a transaction's body, say) is returned as it is.
    static func converting(_ error: any Error) -> any Error {
        switch error {
        case let error as SQLiteError:
            return StoreError(error)
        case is ConnectionClosedError:
            return StoreError.closed
        case MigrationError.schemaTooNew(let found, let known):
            return StoreError.schemaTooNew(found: found, known: known)
        case let error as MigrationError:
            return StoreError.unusable(error.description)
        default:
            return error
        }
    }

    /// Runs `body`, which calls the engine, and throws its errors as store errors (see ``converting(_:)``).
    static func mappingEngineErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw converting(error)
        }
    }
}
