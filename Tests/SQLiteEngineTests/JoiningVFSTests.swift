import CSQLite
import Foundation
import Testing
@testable import SQLiteEngine

@Suite struct JoiningVFSTests {
    /// The log that connections write through "customercard-joining" (each WAL frame's header and
    /// page in one write) is the one SQLite's own VFS recovers: copied while its writer is still
    /// open and nothing was checkpointed, as a kill -9 leaves it, and opened through "unix", it
    /// holds every committed row, rows of one page and of several, and passes `quick_check`.
    @Test func theLogWrittenFrameByFrameIsWhatSQLitesOwnVFSRecovers() throws {
        #expect(SQLiteConnection.vfs == "customercard-joining")
        let database = try TemporaryDatabase()
        let writer = try database.openWriter(schema: "CREATE TABLE pad (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        defer { writer.close() }
        try writer.execute("PRAGMA wal_autocheckpoint = 0")  // every frame stays in the log
        var expected: [Int64: Int] = [:]
        for index in 1...200 {
            let length = index % 10 == 0 ? 9_000 : 40 + index  // every tenth row spills over pages
            try writer.transaction("BEGIN IMMEDIATE") {
                try writer.run("INSERT INTO pad (id, body) VALUES (?, ?)",
                               [.integer(Int64(index)), .text(String(repeating: "x", count: length))])
            }
            expected[Int64(index)] = length
        }
        let copy = database.directory.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: database.path, toPath: copy)
        try FileManager.default.copyItem(atPath: database.path + "-wal", toPath: copy + "-wal")
        let logSize = try FileManager.default.attributesOfItem(atPath: copy + "-wal")[.size] as? NSNumber
        #expect((logSize?.intValue ?? 0) >= 200 * (4_096 + 24))  // the rows are in frames, not in the file

        var handle: OpaquePointer?
        #expect(sqlite3_open_v2(copy, &handle, SQLITE_OPEN_READWRITE, "unix") == SQLITE_OK)
        defer { sqlite3_close(handle) }
        var read: [Int64: Int] = [:]
        var statement: OpaquePointer?
        #expect(sqlite3_prepare_v2(handle, "SELECT id, length(body) FROM pad", -1, &statement, nil) == SQLITE_OK)
        while sqlite3_step(statement) == SQLITE_ROW {
            read[sqlite3_column_int64(statement, 0)] = Int(sqlite3_column_int64(statement, 1))
        }
        sqlite3_finalize(statement)
        #expect(read == expected)
        #expect(sqlite3_prepare_v2(handle, "PRAGMA quick_check", -1, &statement, nil) == SQLITE_OK)
        #expect(sqlite3_step(statement) == SQLITE_ROW)
        #expect(sqlite3_column_text(statement, 0).map { String(cString: $0) } == "ok")
        sqlite3_finalize(statement)
    }
}
