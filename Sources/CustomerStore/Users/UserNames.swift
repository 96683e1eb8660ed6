import SQLiteEngine

/// The names of the users one read's rows refer to, each looked up once: the row SELECTs read
/// user ids only, and their decoders ask here for the name. The one way a read names a user:
/// no SELECT joins `users` for a name (a join drops a row whose user is missing; this fails it).
///
/// A card named the same user ~35 times (created by, updated by, assignee … of every row), each a
/// join costing ~1 100 instructions in `sqlite3_step` plus a new `String`; a page of 50 customers
/// ~150 times. A read names a handful of distinct users, so one primary-key look-up each and a
/// shared `String` for every further mention cost a fraction (callgrind, see docs/performance/HISTORY.md).
///
/// Consistent with the rows: a look-up runs on the same connection while the row's statement is
/// still active, so inside the read's snapshot (a read transaction, or an autocommit statement's
/// own, which lasts until that statement is reset). One per read, on the reader's thread; the
/// names a reader connection found are kept for its next reads only while the database's data
/// version stays the same (``KeptNames``), so a renamed user is never shown by an old name.
@usableFromInline final class UserNames {
    private let connection: SQLiteConnection
    /// The last user looked up or found: rows mostly name the same one over and over. Usable
    /// from inline so that a row's inlinable getter answers a repeat without a call (the card's
    /// activity named its users across the module boundary at ~190 instructions each).
    /// `@exclusivity(unchecked)`: one read's rows use it on that read's thread, and its reads and
    /// writes are plain loads and stores that never overlap; the runtime's check of each access
    /// from another module cost ~150 instructions a listed row (callgrind, docs/performance/HISTORY.md).
    @exclusivity(unchecked) @usableFromInline var last: StoredUserRef?
    /// The connection's names for this read's snapshot, found at the read's first look-up.
    /// `@exclusivity(unchecked)` as `last`: read and set on the read's thread, never overlapping.
    @exclusivity(unchecked) private var kept: KeptNames?

    init(_ connection: SQLiteConnection) {
        self.connection = connection
    }

    /// `users` when a caller shares one across several statements of its read, else a new one.
    static func of(_ connection: SQLiteConnection, sharing users: UserNames?) -> UserNames {
        users ?? UserNames(connection)
    }

    /// The user with this id, with its name.
    /// - Throws: `StoreError.dataLoss` when no user has the id: every user id a row holds is a
    ///   foreign key, so that means a damaged database (the joins this replaces dropped the row).
    @inlinable func ref(_ id: Int64) throws -> StoredUserRef {
        if let last, last.id == id { return last }
        return try lastFound(id)
    }

    /// `ref(_:)` for a user other than the last one: looked up and kept as the last.
    @usableFromInline func lastFound(_ id: Int64) throws -> StoredUserRef {
        let ref = StoredUserRef(id: id, name: try lookUp(id))
        last = ref
        return ref
    }

    /// The user in `idColumn` of the current row, nil when it is NULL.
    @inlinable func optionalRef(_ statement: SQLiteStatement, _ idColumn: Column) throws -> StoredUserRef? {
        guard let id = try statement.optionalInt64(idColumn) else { return nil }
        return try ref(id)
    }

    /// The user in `idColumn` of the current row.
    @inlinable func ref(_ statement: SQLiteStatement, _ idColumn: Column) throws -> StoredUserRef {
        try ref(statement.int64(idColumn))
    }

    /// The user in the column named `idColumn` of the current row, nil when it is NULL (for the
    /// decoders that read columns by name).
    func optionalRef(_ statement: SQLiteStatement, _ idColumn: String) throws -> StoredUserRef? {
        try statement.optionalInt64(idColumn).map(ref)
    }

    /// The user in the column named `idColumn` of the current row.
    func ref(_ statement: SQLiteStatement, _ idColumn: String) throws -> StoredUserRef {
        try ref(statement.int64(idColumn))
    }

    private func lookUp(_ id: Int64) throws -> String {
        let kept = self.kept ?? KeptNames.of(connection)
        self.kept = kept
        if let name = kept.users[id] { return name }
        guard let name = try CustomerStore.userName(connection, id: id) else {
            throw StoreError.dataLoss("a row names user \(id), who does not exist (a foreign key is broken)")
        }
        kept.keep(user: id, name: name)
        return name
    }
}
