import CSQLite

/// A failed SQLite call: SQLite's extended result code and message, and what the engine was doing.
///
/// Extended result codes are on for every connection (`sqlite3_extended_result_codes`), so `code`
/// tells a UNIQUE violation (2067) from a FOREIGN KEY one (787). SQLite's messages name tables and
/// columns, never bound values, and `context` is SQL text or a path, so the error is safe to log.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The extended result code, e.g. 2067 (`SQLITE_CONSTRAINT_UNIQUE`).
    public let code: Int32
    /// SQLite's message for it (`sqlite3_errmsg`), or the engine's when SQLite gave none.
    public let message: String
    /// What was running: the statement's SQL, or e.g. "opening /path/db".
    public let context: String
    /// The operating system's errno behind an I/O error (`sqlite3_system_errno`), 0 when none:
    /// SQLITE_IOERR_WRITE alone does not tell a file-size limit (EFBIG) from a failing disk (EIO).
    public let systemErrno: Int32

    public init(code: Int32, message: String, context: String, systemErrno: Int32 = 0) {
        self.code = code
        self.message = message
        self.context = context
        self.systemErrno = systemErrno
    }

    /// The primary result code (the low byte), e.g. `SQLITE_CONSTRAINT` for 2067.
    public var primaryCode: Int32 { code & 0xFF }

    public var description: String {
        "SQLite error \(code) while \(context): \(message)" + (systemErrno == 0 ? "" : " (errno \(systemErrno))")
    }

    // SQLite's extended constraint codes: function-like macros in sqlite3.h that Swift does not import.
    /// `SQLITE_CONSTRAINT_FOREIGNKEY`.
    public static let constraintForeignKey = SQLITE_CONSTRAINT | (3 << 8)
    /// `SQLITE_CONSTRAINT_PRIMARYKEY`.
    public static let constraintPrimaryKey = SQLITE_CONSTRAINT | (6 << 8)
    /// `SQLITE_CONSTRAINT_TRIGGER`: a `RAISE(ABORT, ...)` in a trigger.
    public static let constraintTrigger = SQLITE_CONSTRAINT | (7 << 8)
    /// `SQLITE_CONSTRAINT_UNIQUE`.
    public static let constraintUnique = SQLITE_CONSTRAINT | (8 << 8)
}
