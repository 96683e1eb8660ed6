import CSQLite

extension SQLiteStatement {
    /// Binds the values `values` of `rows` to the parameters in order, from 1, and steps the
    /// statement to its end, then resets it. Text is bound in place from the rows' one buffer
    /// (`SQLITE_STATIC`), where `bind(_:at:)` has SQLite allocate and copy each value
    /// (`SQLITE_TRANSIENT`): a bulk import binds ~25 texts a row, a group of creates ~7 a create
    /// (callgrind, issue 17, "create21"). The statement is reset (its bindings cleared) before the
    /// buffer may go, also when a binding fails, so SQLite never holds a pointer into freed memory.
    /// - Throws: `SQLiteError`; `SQLITE_TOOBIG` for a text longer than SQLite binds.
    func runBinding(_ rows: BoundRows, values range: Range<Int>) throws {
        try rows.bytes.withUnsafeBufferPointer { buffer in
            defer { reset() }
            var index: Int32 = 1
            for value in rows.values[range] {
                switch value {
                case .integer(let int): try check(sqlite3_bind_int64(handle, index, int))
                case .null: try check(sqlite3_bind_null(handle, index))
                case .text(let offset, let count):
                    guard offset >= 0, count >= 0, offset <= buffer.count - count, let length = Int32(exactly: count) else {
                        throw SQLiteError(code: SQLITE_TOOBIG, message: "text of \(count) bytes at \(offset) cannot be bound",
                                          context: sql)
                    }
                    if count == 0 {
                        // Empty text has no bytes to point at (a nil pointer would bind NULL).
                        try bind("", at: index)
                    } else if let base = buffer.baseAddress {
                        let characters = UnsafeRawPointer(base + offset).assumingMemoryBound(to: CChar.self)
                        // A nil destructor is `SQLITE_STATIC`: SQLite reads the text where it is, without a
                        // copy, until the statement is reset or the parameter rebound.
                        try check(sqlite3_bind_text(handle, index, characters, length, nil))
                    }
                }
                index += 1
            }
            try run()
        }
    }
}
