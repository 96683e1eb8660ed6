import CSQLite

/// SQLite's `SQLITE_TRANSIENT`: makes SQLite copy bound text before the call returns, so Swift's
/// temporary C string may go away (the C macro is `((sqlite3_destructor_type)-1)`, not importable).
private let transient = unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)

/// A value bound to a `?` parameter.
public enum SQLValue: Sendable, Hashable {
    case integer(Int64)
    case text(String)
    case null

    /// `.text`, or `.null` for nil.
    public init(_ value: String?) {
        self = value.map(SQLValue.text) ?? .null
    }

    /// `.integer`, or `.null` for nil.
    public init(_ value: Int64?) {
        self = value.map(SQLValue.integer) ?? .null
    }
}

/// One prepared statement, owned and cached by its `SQLiteConnection`.
///
/// Not thread-safe: it is used only by the thread that holds its connection.
public final class SQLiteStatement {
    @usableFromInline let handle: OpaquePointer
    /// The SQL text, kept for error contexts (never the bound values).
    public let sql: String
    private unowned let connection: SQLiteConnection
    /// The result columns' names, read once (see `SQLiteStatement+Columns.swift`); a name that
    /// two columns share is replaced by `ambiguousName` so it is never taken for either.
    var columnNames: [String]?
    /// Index of each unique column name; -1 for a name two columns share.
    var columnIndexes: [String: Int32] = [:]
    /// The column after the last one read by name: decoders read in SELECT order, so the next
    /// name asked for is almost always this one's, found with one comparison instead of a hash.
    var nextColumn: Int32 = 0
    /// The column count `columnNames` were read for; -1 before.
    var resolvedColumnCount: Int32 = -1
    /// The layouts resolved for this statement, by their type, each in its `LayoutBox` (see
    /// `ColumnLayout.swift`); dropped with the names when SQLite re-prepared the statement with
    /// another column count. `@exclusivity(unchecked)`: a statement is its connection's, used by one
    /// thread at a time, and no access to it overlaps another (see `SQLiteConnection.recentStatements`).
    @exclusivity(unchecked) var layouts: [ObjectIdentifier: AnyObject] = [:]
    /// The bytes the texts of the last `runBinding` are bound from without a copy, held until the
    /// next one replaces them (see there).
    var boundTexts: [UInt8] = []
    /// Set by `runBinding` once every parameter is bound (its texts into `boundTexts`): `reset()`
    /// leaves such bindings, and they are cleared when the statement is looked up by its SQL
    /// (`dropKeptBindings`), so a user that binds only some parameters finds the others NULL as
    /// after any reset; `runBinding` binds them all again.
    var keepsBindings = false

    init(handle: OpaquePointer, sql: String, connection: SQLiteConnection) {
        self.handle = handle
        self.sql = sql
        self.connection = connection
    }

    /// Finalizes the statement; called by the connection before `sqlite3_close`.
    func finalize() {
        sqlite3_finalize(handle)
    }

    // MARK: Binding (1-based parameter indexes, as in the C API)

    /// Binds `values` to parameters 1, 2, ... in order.
    public func bind(_ values: [SQLValue]) throws {
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value to parameter `index` (1-based).
    public func bind(_ value: SQLValue, at index: Int32) throws {
        switch value {
        case .integer(let int): try bind(int, at: index)
        case .text(let text): try bind(text, at: index)
        case .null: try check(sqlite3_bind_null(handle, index))
        }
    }

    /// Binds an integer to parameter `index` (1-based).
    public func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds text, or NULL for nil, to parameter `index` (1-based).
    public func bind(_ value: String?, at index: Int32) throws {
        guard let value else {
            try check(sqlite3_bind_null(handle, index))
            return
        }
        // With its byte count, not -1: SQLite reads a -1 string up to its first NUL, which cut
        // "Acme\0Hidden" to "Acme" without a word. (Validators refuse NUL in stored text; a key
        // looked up must not match a shorter one either.)
        var text = value
        try text.withUTF8 { bytes in
            guard let count = Int32(exactly: bytes.count) else {
                throw SQLiteError(code: SQLITE_TOOBIG, message: "text of \(bytes.count) bytes is too long to bind",
                                        context: sql)
            }
            guard let base = bytes.baseAddress else {
                // A nil pointer would bind NULL: empty text is bound as an empty C string.
                return try check(sqlite3_bind_text(handle, index, "", 0, transient))
            }
            try base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                try check(sqlite3_bind_text(handle, index, characters, count, transient))
            }
        }
    }

    /// Binds an integer, or NULL for nil, to parameter `index` (1-based).
    public func bind(_ value: Int64?, at index: Int32) throws {
        guard let value else {
            try check(sqlite3_bind_null(handle, index))
            return
        }
        try bind(value, at: index)
    }

    /// Binds a blob to parameter `index` (1-based).
    public func bind(_ bytes: [UInt8], at index: Int32) throws {
        // A zero-length blob needs a non-null pointer, or SQLite stores NULL (SQLite docs, "Binding Values").
        try bytes.withUnsafeBytes { buffer in
            try check(sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                        Int32(clamping: buffer.count), transient))
        }
    }

    // MARK: Stepping

    /// Advances to the next row; `false` when the statement is done.
    public func step() throws -> Bool {
        nextColumn = 0
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(code: code, context: sql)
        }
    }

    /// Steps a statement that returns no rows to its end.
    public func run() throws {
        while try step() {}
    }

    /// Makes the statement ready for its next use and drops bound text (which may be personal data),
    /// but for what `runBinding` bound from the bytes the statement holds (see there).
    public func reset() {
        sqlite3_reset(handle)
        if !keepsBindings { sqlite3_clear_bindings(handle) }
    }

    /// Clears the bindings `runBinding` left (see `keepsBindings`).
    func dropKeptBindings() {
        guard keepsBindings else { return }
        keepsBindings = false
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns (0-based, as in the C API)

    /// How many columns each row has.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The integer in `column` (0 for NULL).
    @inlinable public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The integer in `column`, nil for NULL.
    @inlinable public func optionalInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// The text in `column` ("" for NULL).
    @inlinable public func text(_ column: Int32) -> String {
        optionalText(column) ?? ""
    }

    /// The text in `column`, nil for NULL.
    @inlinable public func optionalText(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        // sqlite3_column_bytes must be called after sqlite3_column_text (SQLite docs, "Result
        // Values From A Query"); decoding with the length avoids a strlen and keeps embedded NULs.
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The bytes in `column` (empty for NULL).
    @inlinable public func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    func check(_ code: Int32) throws {
        if code != SQLITE_OK { throw connection.error(code: code, context: sql) }
    }
}
