import Foundation
import CSQLite
import Testing
import SQLiteEngine

@Suite struct StatementTests {
    /// Text is bound with its byte count: embedded NULs, empty text and non-ASCII text come back
    /// exactly; nil binds NULL.
    @Test func boundValuesComeBackExactly() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "CREATE TABLE t (a TEXT, b INTEGER, c BLOB)")
        for (text, number) in [("Acme\0Hidden", Int64.max), ("", Int64.min), ("Åbo Ångström 東京", 0)] {
            try connection.run("INSERT INTO t (a, b) VALUES (?, ?)", [.text(text), .integer(number)])
            let read = try connection.withStatement("SELECT a, b FROM t WHERE rowid = ?") { statement in
                try statement.bind(connection.lastInsertRowID, at: 1)
                _ = try statement.step()
                return (statement.optionalText(0), statement.int64(1))
            }
            #expect(read.0 == text && read.1 == number)
        }
        try connection.run("INSERT INTO t (a, b) VALUES (?, ?)", [SQLValue(nil as String?), SQLValue(nil as Int64?)])
        let nulls = try connection.withStatement("SELECT a, b FROM t WHERE rowid = ?") { statement in
            try statement.bind(connection.lastInsertRowID, at: 1)
            _ = try statement.step()
            return (statement.optionalText(0), statement.optionalInt64(1))
        }
        #expect(nulls.0 == nil && nulls.1 == nil)
    }

    /// An empty blob is stored as an empty blob, not NULL.
    @Test func emptyBlobIsNotNull() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "CREATE TABLE t (c BLOB)")
        for bytes in [[], [0, 1, 255]] as [[UInt8]] {
            try connection.withStatement("INSERT INTO t (c) VALUES (?)") { statement in
                try statement.bind(bytes, at: 1)
                try statement.run()
            }
            let read = try connection.withStatement("SELECT c IS NULL, c FROM t WHERE rowid = ?") { statement in
                try statement.bind(connection.lastInsertRowID, at: 1)
                _ = try statement.step()
                return (statement.int64(0), statement.blob(1))
            }
            #expect(read.0 == 0 && read.1 == bytes)
        }
    }

    /// A statement is prepared once per connection and reused; `withStatement` resets it and
    /// clears its bindings, so a later use never sees an earlier call's values.
    @Test func statementsAreCachedAndResetAfterUse() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter()
        let sql = "SELECT ?"
        #expect(try connection.statement(sql) === connection.statement(sql))
        let first = try connection.withStatement(sql) { statement in
            try statement.bind("bound", at: 1)
            return try statement.step() ? statement.optionalText(0) : nil
        }
        let second = try connection.withStatement(sql) { try $0.step() ? $0.optionalText(0) : "no row" }
        #expect(first == "bound" && second == nil)
        let before = connection.statementsRun
        _ = try connection.withStatement(sql) { try $0.step() }
        #expect(connection.statementsRun == before + 1)
    }

    /// The recent statements are looked through by length first: texts of one length that differ
    /// (in their last byte), and equal texts in separate strings (not the same storage, as a page's
    /// SQL built for each call is not), each find their own statement, also once the recent ones
    /// have been replaced round robin and the lookup falls through to the whole cache.
    @Test func sameLengthStatementsFindTheirOwn() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter()
        let texts = (0..<20).map { "SELECT '\(String(repeating: "x", count: 40))', \($0 % 10)\($0 / 10)" }
        #expect(Set(texts.map(\.utf8.count)).count == 1)
        for round in 0..<2 {
            for (index, text) in texts.enumerated() {
                // A copy with storage of its own, equal to `text` but not identical.
                let copy = String(decoding: Array(text.utf8), as: UTF8.self)
                let statement = try connection.statement(copy)
                #expect(statement.sql == text, "round \(round)")
                let read = try connection.withStatement(copy) { try $0.step() ? $0.int64(1) : -1 }
                #expect(read == Int64(index % 10 * 10 + index / 10), "round \(round), statement \(index)")
            }
        }
    }

    /// Errors keep SQLite's extended result code, its message and the SQL that failed.
    @Test func errorsKeepTheExtendedCodeAndMessage() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter()
        try connection.run("INSERT INTO log (name) VALUES (?)", [.text("A")])
        let error = try #require(throws: SQLiteError.self) {
            try connection.run("INSERT INTO log (name) VALUES (?)", [.text("A")])
        }
        #expect(error.code == SQLiteError.constraintUnique && error.primaryCode == SQLITE_CONSTRAINT)
        #expect(error.message == "UNIQUE constraint failed: log.name")
        #expect(error.context == "INSERT INTO log (name) VALUES (?)")
        let syntax = try #require(throws: SQLiteError.self) { try connection.statement("SELEKT 1") }
        #expect(syntax.primaryCode == SQLITE_ERROR && syntax.message.contains("syntax error"))
    }

    /// A transaction that throws is rolled back whole; a savepoint that throws is undone alone.
    @Test func transactionsAndSavepointsUndoWhatThrew() throws {
        struct Refused: Error {}
        let database = try TemporaryDatabase()
        let connection = try database.openWriter()
        #expect(throws: Refused.self) {
            try connection.transaction("BEGIN IMMEDIATE") {
                try insertLog(connection, "rolled back")
                throw Refused()
            }
        }
        try connection.transaction("BEGIN IMMEDIATE") {
            try insertLog(connection, "kept")
            #expect(throws: Refused.self) {
                try connection.savepoint { connection in
                    try insertLog(connection, "undone")
                    throw Refused()
                }
            }
        }
        #expect(try loggedNames(connection) == ["kept"])
    }

    /// A file that is not a database is refused at open with SQLITE_NOTADB naming the path; a
    /// closed connection refuses new statements.
    @Test func notADatabaseAndClosedConnectionsAreRefused() throws {
        let database = try TemporaryDatabase()
        try Array(repeating: UInt8(ascii: "x"), count: 4_096).withUnsafeBytes { bytes in
            try Data(bytes).write(to: URL(fileURLWithPath: database.path))
        }
        let error = try #require(throws: SQLiteError.self) {
            try SQLiteConnection(path: database.path, role: .writer, busyTimeoutMilliseconds: 0)
        }
        #expect(error.primaryCode == SQLITE_NOTADB && error.context == database.path)

        let other = try TemporaryDatabase()
        let connection = try other.openWriter()
        connection.close()
        #expect(throws: ConnectionClosedError()) { try connection.statement("SELECT 2") }
    }

    /// The writer's open checks: a fresh database is writable, quick_check finds it intact.
    @Test func startupChecksOnAnIntactDatabase() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter()
        #expect(!connection.isReadOnly)
        #expect(try connection.quickCheck(limit: 5) == ["ok"])
        #expect(try connection.databaseSize() > 0)
        #expect(try connection.pragma("journal_mode") == "wal")
        let reader = try database.openReader()
        #expect(throws: SQLiteError.self) { try insertLog(reader, "A") }
    }
}

@Suite struct DataVersionTests {
    /// A reader's data version, asked inside its read, stays while nothing commits and changes
    /// once another connection has committed: what lets the store keep names across reads.
    @Test func changesWhenAnotherConnectionCommits() throws {
        let database = try TemporaryDatabase()
        let writer = try database.openWriter()
        try writer.run("INSERT INTO log (name) VALUES ('a')")
        let reader = try database.openReader()
        defer { reader.close(); writer.close() }
        func versionInsideARead() throws -> UInt32? {
            try reader.withStatement("SELECT count(*) FROM log") { statement throws -> UInt32? in
                #expect(try statement.step())
                return reader.dataVersion()
            }
        }
        let first = try #require(try versionInsideARead())
        #expect(try versionInsideARead() == first)
        try writer.run("INSERT INTO log (name) VALUES ('b')")
        #expect(try versionInsideARead() != first)
    }
}
