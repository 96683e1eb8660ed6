import CSQLite

/// A result column found by name once (see ``ColumnLayout``), read by its index from then on.
public struct Column: Sendable, Hashable {
    /// 0-based, as in the C API.
    public let index: Int32
}

/// The result columns one decoder reads, each found by name (as `SQLiteStatement+Columns.swift`
/// does) once per prepared statement and kept with it, so every row after that reads by index.
///
/// Reading by name on every row cost most of a row's decoding: a page of 50 customers spent
/// ~200 000 instructions (~160 a column) finding and checking names (callgrind). A layout keeps
/// what reading by name is for: a column added in the middle of a SELECT shifts nothing, and a
/// missing, shared or mistyped column is a ``ColumnError`` naming it.
public protocol ColumnLayout {
    /// Finds every column the decoder reads with ``SQLiteStatement/column(_:)``.
    /// - Throws: ``ColumnError`` `.missing` or `.ambiguous`.
    init(resolving statement: SQLiteStatement) throws
}

extension SQLiteStatement {
    /// The result column called `name`, to read by index (see ``ColumnLayout``).
    /// - Throws: ``ColumnError`` `.missing` or `.ambiguous`.
    public func column(_ name: String) throws -> Column {
        Column(index: try columnIndex(name))
    }

    /// Steps to the next row and returns `Layout` for it; nil when the statement is done.
    ///
    /// The layout is taken after the step because SQLite re-prepares a statement whose schema
    /// changed inside that step: one resolved before it could name the old positions.
    public func nextRow<Layout: ColumnLayout>(_ type: Layout.Type) throws -> Layout? {
        try step() ? try layout(type) : nil
    }

    /// Steps through every row left, calling `body` with `Layout` for each.
    ///
    /// The layout is taken once, after the first step (see `nextRow`): SQLite re-prepares a
    /// statement only at the start of a run, never between its rows. Looking it up again for
    /// every row (`layout(_:)`: a dictionary probe and a cast) cost ~1 300 instructions a row
    /// under callgrind.
    public func forEachRow<Layout: ColumnLayout>(_ type: Layout.Type, _ body: (Layout) throws -> Void) throws {
        guard try step() else { return }
        let columns = try layout(type)
        repeat {
            try body(columns)
        } while try step()
    }

    /// `Layout` resolved for this statement: on its first use, and again after SQLite re-prepared
    /// it with another column count (as a name read does, see `resolvedColumnNames`). Ask for it
    /// after `step()` returned a row (or use `nextRow(_:)`), for the reason `nextRow` gives.
    public func layout<Layout: ColumnLayout>(_ type: Layout.Type) throws -> Layout {
        let key = ObjectIdentifier(type)
        if sqlite3_column_count(handle) == resolvedColumnCount, let box = layouts[key] {
            // Only `LayoutBox<Layout>` is ever stored under `Layout`'s key (below): a cast that
            // cannot fail, unchecked. The checked `as? Layout` out of an existential cost ~900
            // instructions a statement run under callgrind (a card runs six).
            return unsafeDowncast(box, to: LayoutBox<Layout>.self).layout
        }
        let layout = try Layout(resolving: self)
        // After resolving: finding the names may have re-read them and dropped older layouts.
        layouts[key] = LayoutBox(layout)
        return layout
    }

    // Each read below asks SQLite for the column once (`sqlite3_column_value`) and reads its type
    // and value from that: every `sqlite3_column_*` call checks the statement, finds the column and
    // checks for a malloc failure again (~50 instructions under callgrind), and a checked integer
    // made two such calls, a text three. The value is SQLite's "unprotected" one: the docs allow
    // `sqlite3_value_*` on it but call that not threadsafe, which is about the connection's mutex;
    // connections here are opened NOMUTEX and used by one thread at a time (`SQLiteConnection`).
    // It stays valid, as a `sqlite3_column_*` result does, until the statement steps or is reset.
    // Inlinable, as the reads by index above are: a listed row reads 22 columns, and a call into
    // this module and one more to the type check cost ~20 instructions a column (callgrind).

    /// The integer in `column`.
    @inlinable public func int64(_ column: Column) throws -> Int64 {
        let value = sqlite3_column_value(handle, column.index)
        try check(value, column, SQLITE_INTEGER, optional: false)
        return sqlite3_value_int64(value)
    }

    /// The integer in `column`, nil for NULL.
    @inlinable public func optionalInt64(_ column: Column) throws -> Int64? {
        let value = sqlite3_column_value(handle, column.index)
        return try check(value, column, SQLITE_INTEGER, optional: true) ? sqlite3_value_int64(value) : nil
    }

    /// The integer in `column` as a flag: true unless 0.
    @inlinable public func bool(_ column: Column) throws -> Bool {
        try int64(column) != 0
    }

    /// The text in `column`.
    public func text(_ column: Column) throws -> String {
        try optionalText(column, optional: false) ?? ""
    }

    /// The text in `column`, nil for NULL.
    public func optionalText(_ column: Column) throws -> String? {
        try optionalText(column, optional: true)
    }

    private func optionalText(_ column: Column, optional: Bool) throws -> String? {
        guard let bytes = try textBytes(column, optional: optional) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The UTF-8 bytes of the text in `column`, nil for NULL, where SQLite holds them: for a
    /// reader that copies them straight into its output instead of making a `String` of each
    /// (a page of 50 customers made ~500). Valid only until the statement steps, is reset, or
    /// this column is read as another type (SQLite docs, "Result Values From A Query"); not
    /// checked for valid UTF-8 (``text(_:)`` repairs what is not, so a copier must too).
    @inlinable public func optionalTextBytes(_ column: Column) throws -> UnsafeRawBufferPointer? {
        try textBytes(column, optional: true)
    }

    /// ``optionalTextBytes(_:)`` of a column that must not be NULL.
    @inlinable public func textBytes(_ column: Column) throws -> UnsafeRawBufferPointer {
        try textBytes(column, optional: false) ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }

    @inlinable func textBytes(_ column: Column, optional: Bool) throws -> UnsafeRawBufferPointer? {
        let value = sqlite3_column_value(handle, column.index)
        guard try check(value, column, SQLITE_TEXT, optional: optional), let bytes = sqlite3_value_text(value) else {
            return nil
        }
        // sqlite3_value_bytes after sqlite3_value_text (SQLite docs, "Obtaining SQL Values"):
        // the length of the UTF-8 text, without a strlen, embedded NULs kept.
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_value_bytes(value)))
    }

    /// Checks that `value`, read from `column`, holds storage class `type` (or NULL, when
    /// `optional`); false for NULL.
    @discardableResult
    @inlinable func check(_ value: OpaquePointer?, _ column: Column, _ type: Int32, optional: Bool) throws -> Bool {
        let found = sqlite3_value_type(value)
        if found == type { return true }
        if optional && found == SQLITE_NULL { return false }
        throw wrongType(column.index, expected: type, optional: optional, found: found)
    }
}

/// A resolved layout kept with its statement, under its type's key in `layouts`.
final class LayoutBox<Layout: ColumnLayout> {
    let layout: Layout

    init(_ layout: Layout) {
        self.layout = layout
    }
}
