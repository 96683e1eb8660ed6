import CSQLite

/// Reading the current row's columns by name, as GRDB's `Row[columnName]` does, so a column added
/// in the middle of a SELECT never shifts what a decoder reads.
///
/// A column's name is its `AS` alias or, for a plain column reference, the column's own name
/// (sqlite3_column_name); alias a column whose name another one shares. Names are resolved to
/// indexes once per prepared statement and cached with it. A value of the wrong storage class (NULL
/// for a non-optional read included) is a ``ColumnError``, never a silent 0 or "".
extension SQLiteStatement {
    /// Stands in for a name two columns share: no decoder asks for it.
    private static let ambiguousName = "\u{0}ambiguous"
    /// How far from the hint, each way, `columnIndex` compares names before it looks the name up.
    private static let namesComparedBeforeHashing = 8

    /// The index of the result column called `name`.
    /// - Throws: ``ColumnError`` `.missing` or `.ambiguous`.
    public func columnIndex(_ name: String) throws -> Int32 {
        let names = resolvedColumnNames()
        // A decoder that skips a column (an optional user's name when its id is NULL) or reads
        // one out of order lands a few places from the hint: comparing the next few names is far
        // cheaper than hashing the name for the dictionary, which callgrind showed taking most of
        // the ~280 instructions a column read cost in a page of 50 customers (5 misses a row).
        // Backwards too: a column read after the row's decoder (a listing's sort key) lies behind.
        let count = names.count
        let hint = Int(nextColumn)
        for distance in 0..<min(count, Self.namesComparedBeforeHashing) {
            let ahead = (hint + distance) % count
            if names[ahead] == name {
                nextColumn = Int32(ahead + 1)
                return Int32(ahead)
            }
            // hint <= count and distance < count, so this stays in 0..<count.
            let behind = (hint - distance - 1 + count) % count
            if names[behind] == name {
                nextColumn = Int32(behind + 1)
                return Int32(behind)
            }
        }
        guard let index = columnIndexes[name] else {
            throw ColumnError(column: name, problem: .missing, sql: sql)
        }
        guard index >= 0 else { throw ColumnError(column: name, problem: .ambiguous, sql: sql) }
        nextColumn = index + 1
        return index
    }

    /// The integer in column `name`.
    public func int64(_ name: String) throws -> Int64 {
        let index = try typedColumn(name, SQLITE_INTEGER, optional: false)
        return sqlite3_column_int64(handle, index)
    }

    /// The integer in column `name`, nil for NULL.
    public func optionalInt64(_ name: String) throws -> Int64? {
        let index = try typedColumn(name, SQLITE_INTEGER, optional: true)
        return sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
    }

    /// The integer in column `name` as a flag: true unless 0.
    public func bool(_ name: String) throws -> Bool {
        try int64(name) != 0
    }

    /// The text in column `name`.
    public func text(_ name: String) throws -> String {
        text(try typedColumn(name, SQLITE_TEXT, optional: false))
    }

    /// The text in column `name`, nil for NULL.
    public func optionalText(_ name: String) throws -> String? {
        optionalText(try typedColumn(name, SQLITE_TEXT, optional: true))
    }

    /// The bytes in column `name`.
    public func blob(_ name: String) throws -> [UInt8] {
        blob(try typedColumn(name, SQLITE_BLOB, optional: false))
    }

    /// The index of `name`, after checking that its value is of storage class `type` (or NULL, when `optional`).
    private func typedColumn(_ name: String, _ type: Int32, optional: Bool) throws -> Int32 {
        let index = try columnIndex(name)
        let found = sqlite3_column_type(handle, index)
        guard found == type || (optional && found == SQLITE_NULL) else {
            throw wrongType(index, expected: type, optional: optional, found: found)
        }
        return index
    }

    /// The error for column `index` holding storage class `found` where `type` was expected.
    @usableFromInline func wrongType(_ index: Int32, expected type: Int32, optional: Bool, found: Int32) -> ColumnError {
        let names = resolvedColumnNames()
        let name = names.indices.contains(Int(index)) ? names[Int(index)] : "#\(index)"
        return ColumnError(column: name, problem: .wrongType(expected: Self.typeName(type) + (optional ? " or NULL" : ""),
                                                             found: Self.typeName(found)), sql: sql)
    }

    /// The names of the result columns, read from SQLite on first use. Read again when the count
    /// changed: SQLite re-prepares a statement after a schema change, and `SELECT *` may then have more.
    private func resolvedColumnNames() -> [String] {
        let count = Int(sqlite3_column_count(handle))
        if let columnNames, columnNames.count == count { return columnNames }
        var names: [String] = []
        var indexes: [String: Int32] = [:]
        for index in 0..<Int32(count) {
            let name = sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
            indexes[name] = indexes[name] == nil ? index : -1
            names.append(name)
        }
        names = names.map { indexes[$0] == -1 ? Self.ambiguousName : $0 }
        columnNames = names
        columnIndexes = indexes
        resolvedColumnCount = Int32(count)
        layouts = [:]
        return names
    }

    private static func typeName(_ type: Int32) -> String {
        switch type {
        case SQLITE_INTEGER: return "INTEGER"
        case SQLITE_FLOAT: return "REAL"
        case SQLITE_TEXT: return "TEXT"
        case SQLITE_BLOB: return "BLOB"
        default: return "NULL"
        }
    }
}
