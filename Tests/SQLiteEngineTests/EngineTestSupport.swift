import Foundation
import TestSupport
import SQLiteEngine

/// A fresh directory with a database path in it, removed when the value goes away.
final class TemporaryDatabase: Sendable {
    private let temporary: TemporaryDirectory
    var directory: URL { temporary.url }

    init() throws {
        temporary = try TemporaryDirectory(prefix: "SQLiteEngineTests")
    }

    var path: String { directory.appendingPathComponent("test.sqlite").path }

    /// A writer on the file, in WAL mode, with `schema` run on it.
    func openWriter(schema: String = "CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
        throws -> SQLiteConnection {
        let writer = try SQLiteConnection(path: path, role: .writer, busyTimeoutMilliseconds: 5_000)
        try writer.enableWAL(synchronous: .normal)
        try writer.execute(schema)
        return writer
    }

    func openReader() throws -> SQLiteConnection {
        try SQLiteConnection(path: path, role: .reader, busyTimeoutMilliseconds: 5_000)
    }
}

/// Inserts `name` into `log` and returns how many rows the body then sees (its own included).
@discardableResult
func insertLog(_ connection: SQLiteConnection, _ name: String) throws -> Int64 {
    try connection.run("INSERT INTO log (name) VALUES (?)", [.text(name)])
    return try connection.withStatement("SELECT count(*) FROM log") { try $0.step() ? $0.int64(0) : -1 }
}

/// The names in `log`, by id.
func loggedNames(_ connection: SQLiteConnection) throws -> [String] {
    try connection.withStatement("SELECT name FROM log ORDER BY id") { statement in
        var names: [String] = []
        while try statement.step() { names.append(statement.text(0)) }
        return names
    }
}

