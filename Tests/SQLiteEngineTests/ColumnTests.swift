import Testing
import SQLiteEngine

@Suite struct ColumnTests {
    static let schema = """
        CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, nickname TEXT, photo BLOB, active INTEGER NOT NULL);
        INSERT INTO person VALUES (1, 'Anna', NULL, x'0102', 1);
        """

    /// Columns are found by name (alias or column name) whatever their position, in any order.
    @Test func columnsAreReadByNameInAnyOrder() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: Self.schema)
        let sql = "SELECT photo, nickname, active AS is_active, name, id FROM person"
        let read = try connection.withStatement(sql) { statement in
            _ = try statement.step()
            return (try statement.int64("id"), try statement.text("name"), try statement.optionalText("nickname"),
                    try statement.bool("is_active"), try statement.blob("photo"), try statement.columnIndex("name"))
        }
        #expect(read.0 == 1 && read.1 == "Anna" && read.2 == nil && read.3 && read.4 == [1, 2] && read.5 == 3)
    }

    /// A name no column has, or two columns share, is refused with the name and the SQL.
    @Test func missingAndAmbiguousNamesAreRefused() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: Self.schema)
        let sql = "SELECT p.name, q.name, p.id FROM person p JOIN person q ON q.id = p.id"
        try connection.withStatement(sql) { statement in
            _ = try statement.step()
            #expect(throws: ColumnError(column: "name", problem: .ambiguous, sql: sql)) { try statement.text("name") }
            #expect(throws: ColumnError(column: "email", problem: .missing, sql: sql)) { try statement.text("email") }
            #expect(try statement.int64("id") == 1)
        }
    }

    /// A value of another storage class, NULL in a non-optional read included, is refused with
    /// both types, instead of reading as 0 or "".
    @Test func wrongTypesAreRefused() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: Self.schema)
        let sql = "SELECT id, name, nickname FROM person"
        try connection.withStatement(sql) { statement in
            _ = try statement.step()
            #expect(throws: ColumnError(column: "nickname", problem: .wrongType(expected: "TEXT", found: "NULL"), sql: sql)) {
                try statement.text("nickname")
            }
            #expect(throws: ColumnError(column: "name", problem: .wrongType(expected: "INTEGER or NULL", found: "TEXT"), sql: sql)) {
                try statement.optionalInt64("name")
            }
            #expect(try statement.optionalInt64("id") == 1)
        }
    }

    /// The names are resolved once per prepared statement and stay right across rows and uses;
    /// a `SELECT *` re-prepared after a schema change sees its new column.
    @Test func resolvedNamesFollowTheStatement() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: Self.schema + "INSERT INTO person VALUES (2, 'Bo', 'B', x'', 0);")
        let names = { () throws -> [String] in
            try connection.withStatement("SELECT * FROM person ORDER BY id") { statement in
                var names: [String] = []
                while try statement.step() { names.append(try statement.text("name") + "/" + (try statement.optionalText("nickname") ?? "-")) }
                return names
            }
        }
        #expect(try names() == ["Anna/-", "Bo/B"])
        try connection.execute("ALTER TABLE person ADD COLUMN email TEXT")
        #expect(try names() == ["Anna/-", "Bo/B"])
        let email = try connection.withStatement("SELECT * FROM person ORDER BY id") { statement in
            _ = try statement.step()
            return try statement.optionalText("email")
        }
        #expect(email == nil)
    }

    /// The columns a person decoder reads, found by name once per statement.
    struct PersonColumns: ColumnLayout {
        let id, name, nickname: Column

        init(resolving statement: SQLiteStatement) throws {
            (id, name, nickname) = (try statement.column("id"), try statement.column("name"), try statement.column("nickname"))
        }
    }

    /// A layout reads the same values as names do, whatever the columns' order, on every row and use.
    @Test func aLayoutReadsByTheIndexesItsNamesHave() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: Self.schema + "INSERT INTO person VALUES (2, 'Bo', 'B', x'', 0);")
        let read = { () throws -> [String] in
            try connection.withStatement("SELECT photo, nickname, name, active, id FROM person ORDER BY id") { statement in
                var rows: [String] = []
                while let columns = try statement.nextRow(PersonColumns.self) {
                    rows.append("\(try statement.int64(columns.id)) \(try statement.text(columns.name)) "
                                + (try statement.optionalText(columns.nickname) ?? "-"))
                }
                return rows
            }
        }
        #expect(try read() == ["1 Anna -", "2 Bo B"])
        #expect(try read() == ["1 Anna -", "2 Bo B"])
    }

    /// `forEachRow` hands its body every row in order with the layout, none for an empty result,
    /// stops at the first error, and resolves the layout again after a re-prepare moved the columns.
    @Test func forEachRowReadsEveryRowWithTheLayout() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: Self.schema + "INSERT INTO person VALUES (2, 'Bo', 'B', x'', 0);")
        let read = { (sql: String) throws -> [String] in
            try connection.withStatement(sql) { statement in
                var rows: [String] = []
                try statement.forEachRow(PersonColumns.self) { columns in
                    rows.append("\(try statement.int64(columns.id)) \(try statement.text(columns.name)) "
                                + (try statement.optionalText(columns.nickname) ?? "-"))
                }
                return rows
            }
        }
        #expect(try read("SELECT nickname, name, id FROM person ORDER BY id") == ["1 Anna -", "2 Bo B"])
        #expect(try read("SELECT id, name, nickname FROM person WHERE id > 2") == [])
        #expect(try read("SELECT * FROM person ORDER BY id") == ["1 Anna -", "2 Bo B"])
        try connection.execute("""
            ALTER TABLE person RENAME TO old_person;
            CREATE TABLE person (title TEXT, id INTEGER PRIMARY KEY, nickname TEXT, name TEXT NOT NULL);
            INSERT INTO person (title, id, nickname, name) SELECT 'Dr', id, nickname, name FROM old_person;
            """)
        #expect(try read("SELECT * FROM person ORDER BY id") == ["1 Anna -", "2 Bo B"])

        struct Refused: Error {}
        var calls = 0
        #expect(throws: Refused.self) {
            try connection.withStatement("SELECT id, name, nickname FROM person ORDER BY id") { statement in
                try statement.forEachRow(PersonColumns.self) { _ in
                    calls += 1
                    throw Refused()
                }
            }
        }
        #expect(calls == 1)
    }

    /// A layout naming a column the SELECT lacks is refused when resolved; a value of the wrong
    /// storage class is refused naming its column, as a read by name is.
    @Test func aLayoutRefusesMissingColumnsAndWrongTypes() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: Self.schema)
        let missing = "SELECT id, name FROM person"
        try connection.withStatement(missing) { statement -> Void in
            #expect(throws: ColumnError(column: "nickname", problem: .missing, sql: missing)) {
                try statement.layout(PersonColumns.self)
            }
        }
        let swapped = "SELECT name AS id, id AS name, nickname FROM person"
        try connection.withStatement(swapped) { statement in
            let columns = try #require(try statement.nextRow(PersonColumns.self))
            #expect(throws: ColumnError(column: "id", problem: .wrongType(expected: "INTEGER", found: "TEXT"), sql: swapped)) {
                try statement.int64(columns.id)
            }
            #expect(throws: ColumnError(column: "nickname", problem: .wrongType(expected: "TEXT", found: "NULL"), sql: swapped)) {
                try statement.text(columns.nickname)
            }
            #expect(try statement.optionalText(columns.nickname) == nil)
        }
    }

    /// Text read in place is SQLite's bytes, all of them (an embedded NUL, non-ASCII, empty text
    /// that is not NULL); NULL is nil where optional and refused where not; a number is not text.
    @Test func textBytesAreTheStoredBytes() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: Self.schema + """
            INSERT INTO person VALUES (2, 'Mäki' || char(0) || 'x', '', NULL, 0);
            """)
        let sql = "SELECT id, name, nickname FROM person ORDER BY id"
        let rows = try connection.withStatement(sql) { statement in
            var rows: [([UInt8], [UInt8]?)] = []
            try statement.forEachRow(PersonColumns.self) { columns in
                rows.append((Array(try statement.textBytes(columns.name)), try statement.optionalTextBytes(columns.nickname).map(Array.init)))
                if try statement.int64(columns.id) == 1 {
                    #expect(throws: ColumnError(column: "nickname", problem: .wrongType(expected: "TEXT", found: "NULL"), sql: sql)) {
                        try statement.textBytes(columns.nickname)
                    }
                    #expect(throws: ColumnError(column: "id", problem: .wrongType(expected: "TEXT or NULL", found: "INTEGER"), sql: sql)) {
                        try statement.optionalTextBytes(columns.id)
                    }
                    #expect(try statement.optionalInt64(columns.nickname) == nil)
                }
            }
            return rows
        }
        #expect(rows.count == 2)
        #expect(rows.first?.0 == Array("Anna".utf8) && rows.first?.1 == nil)
        #expect(rows.last?.0 == Array("Mäki\u{0}x".utf8) && rows.last?.1 == [])
    }

    /// A `SELECT *` re-prepared after a schema change resolves its layout again: a column added
    /// in front of the ones read shifts nothing.
    @Test func aLayoutFollowsAReprepare() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: """
            CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, nickname TEXT);
            INSERT INTO person VALUES (1, 'Anna', 'A');
            """)
        let read = { () throws -> String in
            try connection.withStatement("SELECT * FROM person") { statement in
                let columns = try #require(try statement.nextRow(PersonColumns.self))
                return try statement.text(columns.name) + "/" + (try statement.optionalText(columns.nickname) ?? "-")
            }
        }
        #expect(try read() == "Anna/A")
        try connection.execute("""
            ALTER TABLE person RENAME TO old_person;
            CREATE TABLE person (title TEXT, id INTEGER PRIMARY KEY, nickname TEXT, name TEXT NOT NULL, email TEXT);
            INSERT INTO person (title, id, nickname, name) SELECT 'Dr', id, nickname, name FROM old_person;
            """)
        #expect(try read() == "Anna/A")
    }
}
