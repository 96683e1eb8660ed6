import Foundation
import CSQLite

/// SQLite's extended constraint codes: function-like macros in sqlite3.h that Swift does not import.
let sqliteConstraintForeignKey = SQLITE_CONSTRAINT | (3 << 8)
let sqliteConstraintPrimaryKey = SQLITE_CONSTRAINT | (6 << 8)
let sqliteConstraintTrigger = SQLITE_CONSTRAINT | (7 << 8)
let sqliteConstraintUnique = SQLITE_CONSTRAINT | (8 << 8)

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
    ]

    /// The one place where SQLite result codes become store errors.
    ///
    /// Extended result codes are on for every connection (`sqlite3_extended_result_codes`), so
    /// `code` tells a UNIQUE violation (2067) from a FOREIGN KEY one (787). SQLite's own messages
    /// for these name tables and columns, never the bound values, so they can be passed on.
    static func fromSQLite(code: Int32, message: String, context: String) -> StoreError {
        switch code {
        case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
            // The message reads "UNIQUE constraint failed: customers.number".
            let column = message.split(separator: ":", maxSplits: 1).last
                .map { String($0).trimmingWhitespace() } ?? ""
            let field = uniqueFields[column] ?? column
            return .alreadyExists("\(field) is already taken", field: field)
        case sqliteConstraintForeignKey:
            return .failedPrecondition("a referenced record does not exist or is still referenced (\(context))")
        case sqliteConstraintTrigger:
            // RAISE(ABORT, ...) in the schema's triggers: the message is ours and names no values.
            return .failedPrecondition(message)
        default:
            break
        }
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return .unavailable("the database is busy (\(context)); try again")
        case SQLITE_NOTADB:
            return .notADatabase(context)
        case SQLITE_FULL:
            // unixWrite turns ENOSPC (and EDQUOT) into SQLITE_FULL; the transaction is rolled back,
            // readers are unaffected, and the next write works once space is freed.
            return .resourceExhausted("the database's disk is full; writes fail until space is freed (reads still work)")
        default:
            return .sqlite(code: code, message: message, context: context)
        }
    }
}
