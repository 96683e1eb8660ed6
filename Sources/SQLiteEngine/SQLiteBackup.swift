import CSQLite

/// SQLite's online backup (`sqlite3_backup_*`) from one connection's main database into another's,
/// a few pages per step.
///
/// The source must be the connection every write goes through (the writer): SQLite then copies
/// each write it makes between steps into the destination as well, so the copy is consistent as
/// of the last step. A write by any other connection would restart the copy from page one
/// (sqlite3.h, "sqlite3_backup_step"), which under steady writes never ends.
///
/// Every call touches the source connection, so each must run where the source may be used: for
/// the writer, inside `GroupCommitWriter.withConnection`. Between steps the source is free.
public final class SQLiteBackup {
    private let handle: OpaquePointer
    private let destination: SQLiteConnection
    private var isFinished = false

    /// Starts a backup of `source`'s main database into `destination`'s (whose content it replaces).
    /// - Throws: ``SQLiteError``.
    public init(from source: SQLiteConnection, into destination: SQLiteConnection) throws {
        guard let handle = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
            // The error is recorded on the destination connection (sqlite3.h, "sqlite3_backup_init").
            throw destination.error(code: sqlite3_errcode(destination.handle), context: "starting a backup of \(source.path)")
        }
        self.handle = handle
        self.destination = destination
    }

    deinit {
        if !isFinished { sqlite3_backup_finish(handle) }
    }

    /// Copies up to `pages` more pages.
    /// - Returns: true when the whole database has been copied.
    /// - Throws: the ``SQLiteError`` that stopped the step (BUSY and LOCKED included: the
    ///   destination is the caller's alone and the source is used by its owner only); the backup
    ///   is finished then, and ``finish()`` does nothing more.
    public func step(pages: Int32) throws -> Bool {
        let code = sqlite3_backup_step(handle, pages)
        switch code {
        case SQLITE_DONE: return true
        case SQLITE_OK: return false
        default:
            // A failed step records its error on no connection: the destination still says "not an
            // error" with no errno, so a copy that could not open its file for want of a descriptor
            // (EMFILE) read as an unknown failure, INTERNAL (redteam30). Finishing records it on the
            // destination, code, message and errno (sqlite3.h, "sqlite3_backup_finish"), and no
            // step may follow a failed one anyway.
            isFinished = true
            let finished = sqlite3_backup_finish(handle)
            throw destination.error(code: finished == SQLITE_OK ? code : finished, context: "a backup step into \(destination.path)")
        }
    }

    /// The source's size in pages at the last step.
    public var totalPages: Int32 {
        sqlite3_backup_pagecount(handle)
    }

    /// Releases the backup; after an unfinished copy the destination holds no committed part of it.
    public func finish() throws {
        guard !isFinished else { return }
        isFinished = true
        let code = sqlite3_backup_finish(handle)
        guard code == SQLITE_OK else {
            throw destination.error(code: code, context: "finishing a backup into \(destination.path)")
        }
    }
}
