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

    /// The integer in `column`.
    public func int64(_ column: Column) throws -> Int64 {
        try check(column, SQLITE_INTEGER, optional: false)
        return sqlite3_column_int64(handle, column.index)
    }

    /// The integer in `column`, nil for NULL.
    public func optionalInt64(_ column: Column) throws -> Int64? {
        try check(column, SQLITE_INTEGER, optional: true) ? sqlite3_column_int64(handle, column.index) : nil
    }

    /// The integer in `column` as a flag: true unless 0.
    public func bool(_ column: Column) throws -> Bool {
        try int64(column) != 0
    }

    /// The text in `column`.
    public func text(_ column: Column) throws -> String {
        try check(column, SQLITE_TEXT, optional: false)
        return text(column.index)
    }

    /// The text in `column`, nil for NULL.
    public func optionalText(_ column: Column) throws -> String? {
        try check(column, SQLITE_TEXT, optional: true) ? text(column.index) : nil
    }

    /// The UTF-8 bytes of the text in `column`, nil for NULL, where SQLite holds them: for a
    /// reader that copies them straight into its output instead of making a `String` of each
    /// (a page of 50 customers made ~500). Valid only until the statement steps, is reset, or
    /// this column is read as another type (SQLite docs, "Result Values From A Query"); not
    /// checked for valid UTF-8 (``text(_:)`` repairs what is not, so a copier must too).
    public func optionalTextBytes(_ column: Column) throws -> UnsafeRawBufferPointer? {
        guard try check(column, SQLITE_TEXT, optional: true), let bytes = sqlite3_column_text(handle, column.index) else {
            return nil
        }
        // After sqlite3_column_text, as in `optionalText(_:)`.
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column.index)))
    }

    /// ``optionalTextBytes(_:)`` of a column that must not be NULL.
    public func textBytes(_ column: Column) throws -> UnsafeRawBufferPointer {
        try check(column, SQLITE_TEXT, optional: false)
        return try optionalTextBytes(column) ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// Checks that `column` holds storage class `type` (or NULL, when `optional`); false for NULL.
    @discardableResult
    private func check(_ column: Column, _ type: Int32, optional: Bool) throws -> Bool {
        let found = sqlite3_column_type(handle, column.index)
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
