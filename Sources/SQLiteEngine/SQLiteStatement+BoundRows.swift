import CSQLite

extension SQLiteStatement {
    /// Binds the values `values` of `rows` to the parameters in order, from 1, and steps the
    /// statement to its end; its caller resets it (`withStatement`). Text is bound in place from
    /// the rows' one buffer (`SQLITE_STATIC`), where `bind(_:at:)` has SQLite allocate and copy
    /// each value (`SQLITE_TRANSIENT`): a bulk import binds ~25 texts a row, a group of creates ~7 a
    /// create (callgrind, issue 17, "create21").
    ///
    /// SQLite never holds a pointer into freed memory: the statement holds that buffer
    /// (`boundTexts`) until the next `runBinding` replaces it, and every parameter is bound again
    /// here (a range that binds fewer clears them first; a binding that fails clears them all), so
    /// each text bound without a copy points into the buffer held. The reset after it then needs no
    /// `sqlite3_clear_bindings` (`keepsBindings`), which cost a group's creates ~900 of the writer's
    /// instructions a create, a parameter at a time over statements of up to 1 344 (callgrind,
    /// docs/performance/HISTORY.md "create28"). Holding the bytes keeps no more of them in memory than a
    /// group's batch keeps anyway (its buffers are emptied keeping their storage).
    /// - Throws: `SQLiteError`; `SQLITE_TOOBIG` for a text longer than SQLite binds.
    func runBinding(_ rows: BoundRows, values range: Range<Int>) throws {
        keepsBindings = false
        if range.count != Int(sqlite3_bind_parameter_count(handle)) { sqlite3_clear_bindings(handle) }
        try rows.bytes.withUnsafeBufferPointer { buffer in
            var index: Int32 = 1
            // Bound only in part, some parameters point into `rows`, which the statement does not hold.
            defer { if !keepsBindings { sqlite3_clear_bindings(handle) } }
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
            // Every parameter points into `rows.bytes` now, none into the buffer held before.
            boundTexts = rows.bytes
            keepsBindings = true
            try run()
        }
    }
}
