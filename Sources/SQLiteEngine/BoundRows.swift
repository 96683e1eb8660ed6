/// Rows of values to bind, held flat: the values in one array, every text's bytes in one buffer,
/// filled in place and emptied keeping both arrays' storage (`insertRows`, `run(_:_:)`).
///
/// Why: the group-commit writer bounds creates per second (issue 15), and a create's rows built as
/// `[[SQLValue]]` cost it an array per row and per match key, a retain and release per text, and a
/// second copy of every text into the buffer `sqlite3_bind_text` read it from (callgrind of the
/// writer's thread, docs/performance/HISTORY.md "create21"). Here a text is copied once, from its `String`
/// or written straight into the buffer (`appendText`), and bound from there without a copy.
public struct BoundRows: Sendable {
    /// One bound value: a text is a range of `bytes`.
    enum Value: Sendable {
        case integer(Int64)
        case text(offset: Int, count: Int)
        case null
    }

    /// The values each row binds; `insertRows` refuses rows of another statement.
    public let width: Int
    private(set) var values: [Value] = []
    private(set) var bytes: [UInt8] = []

    public init(width: Int) {
        self.width = width
    }

    /// Rows of `[SQLValue]`, each of `width` values.
    public init(width: Int, _ rows: [[SQLValue]]) {
        self.width = width
        values.reserveCapacity(rows.count * width)
        for row in rows {
            for value in row { append(value) }
        }
    }

    /// The whole rows held.
    public var rowCount: Int { width > 0 ? values.count / width : 0 }
    public var isEmpty: Bool { values.isEmpty }

    public mutating func append(_ value: Int64) {
        values.append(.integer(value))
    }

    /// The integer, or NULL for nil.
    public mutating func append(_ value: Int64?) {
        values.append(value.map(Value.integer) ?? .null)
    }

    public mutating func append(_ text: String) {
        appendText { bytes in
            var text = text
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }
    }

    /// The text, or NULL for nil.
    public mutating func append(_ text: String?) {
        guard let text else { return values.append(.null) }
        append(text)
    }

    public mutating func append(_ value: SQLValue) {
        switch value {
        case .integer(let int): append(int)
        case .text(let text): append(text)
        case .null: values.append(.null)
        }
    }

    /// One text value, its UTF-8 bytes appended by `write` to the buffer (the bytes already there
    /// are earlier values': `write` only appends): a text made of parts needs no `String` of its own.
    public mutating func appendText(_ write: (inout [UInt8]) -> Void) {
        let offset = bytes.count
        write(&bytes)
        values.append(.text(offset: offset, count: bytes.count - offset))
    }

    /// Empties the rows, keeping the storage for the next ones.
    public mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }
}
