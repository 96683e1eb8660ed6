import CSQLite
import SQLiteEngine
import Testing

@Suite struct InsertRowsTests {
    /// 103 rows (statements of 64, 32, 4, 2 and 1 rows) come back exactly as given, in order: text
    /// bound in place from one buffer (embedded NULs, empty, non-ASCII, long), NULL and integers.
    @Test func rowsComeBackExactlyWhateverTheStatementSizes() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT)")
        let texts = ["Acme\0Hidden", "", "Åbo Ångström 東京", String(repeating: "x", count: 100_000), "a"]
        let rows: [[SQLValue]] = (0..<103).map { index in
            [.integer(Int64(index + 1)), .text(texts[index % texts.count]),
             index % 7 == 0 ? .null : .integer(Int64(index) * 1_000_000_007),
             index % 3 == 0 ? .null : .text("row \(index)")]
        }
        try connection.insertRows(MultiRowInsert(into: "t", columns: ["id", "a", "b", "c"]), rows)
        let read = try Self.rows(connection)
        #expect(read.count == rows.count)
        for (got, wanted) in zip(read, rows) where got != wanted {
            Issue.record("row \(wanted.first.map { "\($0)" } ?? "?"): read \(got.map { "\($0)".prefix(40) })")
        }
    }

    /// In a group's sizes (`MultiRowInsert.groupSizes`, a group of creates) rows up to 32, and 40,
    /// 48, 56 and 64 of them, are one statement; other counts take the largest size that fits, then
    /// the rest the same way; the halving sizes take one statement per bit of the count. Whatever
    /// the sizes, the rows come back exactly as given, in order. Why it matters: every statement
    /// more costs the writer ~13 600 instructions (docs/performance/HISTORY.md "create32").
    @Test func aGroupsRowsAreOneStatementInGroupSizes() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT)")
        let halving = MultiRowInsert(into: "t", columns: ["id", "a", "b", "c"])
        let grouped = halving.inGroupSizes
        var id: Int64 = 0
        var written: [[SQLValue]] = []
        func statements(_ insert: MultiRowInsert, _ count: Int) throws -> Int {
            let rows: [[SQLValue]] = (0..<count).map { _ in
                id += 1
                return [.integer(id), .text("row \(id)"), id % 5 == 0 ? .null : .integer(id * 7), id % 3 == 0 ? .null : .text("")]
            }
            written += rows
            let before = connection.statementsRun
            try connection.insertRows(insert, rows)
            return connection.statementsRun - before
        }
        let cases = [(1, 1), (17, 1), (23, 1), (32, 1), (33, 2), (40, 1), (47, 2), (63, 2), (64, 1), (103, 3)]
        for (count, wanted) in cases {
            #expect(try statements(grouped, count) == wanted, "\(count) rows in group sizes")
        }
        #expect(try statements(halving, 23) == 4)
        #expect(try statements(halving, 64) == 1)
        #expect(try Self.rows(connection) == written)
    }

    /// A row that breaks a constraint fails its statement, which undoes its rows only; a later
    /// insert works (the statement was reset, its in-place text bindings dropped).
    @Test func aRefusedStatementIsUndoneAndTheNextOneWorks() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "CREATE TABLE t (a TEXT NOT NULL UNIQUE)")
        let insert = MultiRowInsert(into: "t", columns: ["a"])
        #expect(throws: SQLiteError.self) { try connection.insertRows(insert, [[.text("one")], [.text("one")]]) }
        try connection.insertRows(insert, [[.text("two")], [.text("three")]])
        let names = try connection.withStatement("SELECT a FROM t ORDER BY a") { statement in
            var names: [String] = []
            while try statement.step() { names.append(statement.optionalText(0) ?? "NULL") }
            return names
        }
        #expect(names == ["three", "two"])
    }

    /// The bindings `insertRows` leaves on its statement at reset (texts in place, from bytes the
    /// statement holds) are dropped before anyone else runs that SQL: a use that binds only its
    /// first parameter writes NULL in the others, not the last rows' values; the rows' buffer
    /// freed and the next rows bound in place again come back as given.
    @Test func keptBindingsNeverReachAnotherUseOfTheStatement() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)")
        let insert = MultiRowInsert(into: "t", columns: ["id", "a", "b"])
        do {
            var rows = BoundRows(width: insert.valueCount)
            rows.append(Int64(1))
            rows.append("personal \(String(repeating: "x", count: 1_000))")
            rows.append(Int64(7))
            try connection.insertRows(insert, rows)
        }
        try connection.withStatement(insert.oneRowSQL) { statement in
            try statement.bind(Int64(2), at: 1)
            try statement.run()
        }
        var rows = BoundRows(width: insert.valueCount)
        rows.append(Int64(3))
        rows.append("three")
        rows.append(Int64(3))
        try connection.insertRows(insert, rows)
        let read = try connection.withStatement("SELECT id, a, b FROM t ORDER BY id") { statement in
            var read: [String] = []
            while try statement.step() {
                read.append("\(statement.int64(0)) \(statement.optionalText(1)?.prefix(8) ?? "NULL") \(statement.optionalInt64(2).map(String.init) ?? "NULL")")
            }
            return read
        }
        #expect(read == ["1 personal 7", "2 NULL NULL", "3 three 3"])
    }

    /// Rows filled in place (`BoundRows`, as a group of creates fills them) come back as given: a
    /// text written in parts into the buffer (`appendText`) is one value, nil text and integers are
    /// NULL, empty text is empty (not NULL), and `run` binds one row's values to any statement.
    @Test func flatRowsComeBackAsTheirPartsSpellThem() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT)")
        let insert = MultiRowInsert(into: "t", columns: ["id", "a", "b", "c"])
        var rows = BoundRows(width: insert.valueCount)
        for index in 1...5 {
            rows.append(Int64(index))
            rows.appendText { bytes in
                bytes += "name \(index)".utf8
                bytes.append(UInt8(ascii: "\n"))
                bytes += "Åbo\0\(index)".utf8
            }
            let number: Int64? = index % 2 == 0 ? nil : Int64(index) * 1_000_000_007
            let c: String? = index == 3 ? "" : index == 4 ? nil : "c\(index)"
            rows.append(number)
            rows.append(c)
        }
        #expect(rows.rowCount == 5)
        try connection.insertRows(insert, rows)
        var update = BoundRows(width: 2)
        update.append("changed")
        update.append(5 as Int64)
        try connection.run("UPDATE t SET c = ? WHERE id = ?", update)
        let read = try Self.rows(connection)
        let wanted: [[SQLValue]] = (1...5).map { (index: Int) -> [SQLValue] in
            let number: Int64? = index % 2 == 0 ? nil : Int64(index) * 1_000_000_007
            let c: String? = index == 3 ? "" : index == 4 ? nil : index == 5 ? "changed" : "c\(index)"
            return [.integer(Int64(index)), .text("name \(index)\nÅbo\0\(index)"), SQLValue(number), SQLValue(c)]
        }
        #expect(read == wanted)
        rows.removeAll()
        #expect(rows.isEmpty && rows.rowCount == 0)
    }

    /// Rows of another statement's width, or not whole, are refused before anything is written
    /// (`SQLITE_MISUSE`), and the connection goes on.
    @Test func rowsNotOfTheStatementsWidthAreRefusedAndWriteNothing() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "CREATE TABLE t (a TEXT, b INTEGER)")
        let insert = MultiRowInsert(into: "t", columns: ["a", "b"])
        var narrow = BoundRows(width: 1)
        narrow.append("one")
        narrow.append("two")
        var partial = BoundRows(width: 2)
        partial.append("one")
        partial.append(1 as Int64)
        partial.append("two")
        for rows in [narrow, partial] {
            let error = try #require(throws: SQLiteError.self) { try connection.insertRows(insert, rows) }
            #expect(error.code == SQLITE_MISUSE)
        }
        var whole = BoundRows(width: 2)
        whole.append("three")
        whole.append(3 as Int64)
        try connection.insertRows(insert, whole)
        let names = try connection.withStatement("SELECT a FROM t") { statement in
            var names: [String] = []
            while try statement.step() { names.append(statement.text(0)) }
            return names
        }
        #expect(names == ["three"])
    }

    /// The rows of `t (id, a, b, c)`, by id.
    private static func rows(_ connection: SQLiteConnection) throws -> [[SQLValue]] {
        try connection.withStatement("SELECT id, a, b, c FROM t ORDER BY id") { statement in
            var read: [[SQLValue]] = []
            while try statement.step() {
                read.append([.integer(statement.int64(0)), SQLValue(statement.optionalText(1)),
                             SQLValue(statement.optionalInt64(2)), SQLValue(statement.optionalText(3))])
            }
            return read
        }
    }
}
