import CSQLite

extension SQLiteStatement {
    /// Binds `rows`' values to the parameters in order, from 1, and steps the statement to its
    /// end, then resets it. Text is bound in place from one buffer holding every text value of the
    /// statement, where `bind(_:at:)` has SQLite allocate and copy each value (`SQLITE_TRANSIENT`):
    /// a bulk import binds ~25 texts a row (callgrind, issue 17). The statement is reset (its
    /// bindings cleared) before the buffer goes, so SQLite never holds a pointer into freed memory.
    /// Run inside `withStatement`, which resets the statement also when a binding throws before
    /// the buffer is bound.
    /// - Throws: `SQLiteError`.
    func runBinding(_ rows: ArraySlice<[SQLValue]>) throws {
        var arena: [UInt8] = []
        var texts: [(index: Int32, offset: Int, count: Int32)] = []
        var index: Int32 = 1
        for row in rows {
            for value in row {
                switch value {
                case .integer(let int): try bind(int, at: index)
                case .null: try bind(nil as Int64?, at: index)
                case .text(var text):
                    let offset = arena.count
                    text.withUTF8 { arena.append(contentsOf: $0) }
                    guard let count = Int32(exactly: arena.count - offset) else {
                        throw SQLiteError(code: SQLITE_TOOBIG, message: "text of \(arena.count - offset) bytes is too long to bind",
                                          context: sql)
                    }
                    // Empty text has no bytes to point at (a nil pointer would bind NULL): bound as `bind` binds it.
                    if count == 0 { try bind("", at: index) } else { texts.append((index, offset, count)) }
                }
                index += 1
            }
        }
        try arena.withUnsafeBytes { buffer in
            defer { reset() }  // Before `arena` may move or go, also when a binding fails: SQLite must not keep its pointers.
            if let base = buffer.baseAddress {
                for text in texts {
                    let characters = (base + text.offset).assumingMemoryBound(to: CChar.self)
                    // A nil destructor is `SQLITE_STATIC`: SQLite reads the text where it is, without a
                    // copy, until the statement is reset or the parameter rebound.
                    try check(sqlite3_bind_text(handle, text.index, characters, text.count, nil))
                }
            }
            try run()
        }
    }
}
