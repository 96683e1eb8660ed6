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
        let read = try connection.withStatement("SELECT id, a, b, c FROM t ORDER BY id") { statement in
            var read: [[SQLValue]] = []
            while try statement.step() {
                read.append([.integer(statement.int64(0)), SQLValue(statement.optionalText(1)),
                             SQLValue(statement.optionalInt64(2)), SQLValue(statement.optionalText(3))])
            }
            return read
        }
        #expect(read.count == rows.count)
        for (got, wanted) in zip(read, rows) where got != wanted {
            Issue.record("row \(wanted.first.map { "\($0)" } ?? "?"): read \(got.map { "\($0)".prefix(40) })")
        }
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
}
