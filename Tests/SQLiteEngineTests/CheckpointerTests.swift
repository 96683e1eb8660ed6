import TestSupport
import Foundation
import Testing
import SQLiteEngine

@Suite struct CheckpointerTests {
    /// Under sustained writes most of the log is copied beside the writer, the writer finishes each
    /// copy, and the log restarts, so it stays near SQLite's 1 000-page threshold instead of growing
    /// with every write. Nothing written is lost.
    @Test func theLogIsCopiedBesideTheWriterAndStaysBounded() async throws {
        let (database, checkpointer, writer) = try Self.watchedWriter()
        defer {
            writer.close()
            checkpointer.close()
        }
        let logPath = database.path + "-wal"
        let pad = String(repeating: "x", count: 4_000)  // about one page per row
        let largestLog = try await onThread {
            var largest = 0
            for index in 1...3_000 {
                try writer.write { try $0.run("INSERT INTO pad (body) VALUES (?)", [.text(pad)]) }
                if index % 25 == 0 {
                    let size = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? NSNumber)??.intValue
                    largest = max(largest, size ?? 0)
                }
            }
            return largest
        }
        var statistics = checkpointer.statistics
        for _ in 0..<1_000 where statistics.background == 0 {
            try await Task.sleep(for: .milliseconds(10))
            statistics = checkpointer.statistics
        }
        #expect(statistics.background > 0)
        #expect(statistics.byWriter > 0)
        #expect(statistics.lastError == nil)
        // A WAL frame is a 4 096-byte page and a 24-byte header; three thresholds leave room.
        #expect(largestLog < 3 * Int(Checkpointer.writerThreshold) * (4_096 + 24))
        let count = try await onThread { try writer.write { try $0.withStatement("SELECT count(*) FROM pad") { try $0.step() ? $0.int64(0) : 0 } } }
        #expect(count == 3_000)
    }

    /// A bulk commit (one transaction of more than `bulkThreshold` pages, as a large import makes)
    /// is answered without copying its log: the copy runs beside the writer, ends with every page
    /// in the database file, and the writes after it go on as before, nothing lost.
    @Test func aBulkCommitsLogIsCopiedBesideTheWriterNotByIt() async throws {
        let (database, checkpointer, writer) = try Self.watchedWriter()
        defer {
            writer.close()
            checkpointer.close()
        }
        let pad = String(repeating: "x", count: 4_000)  // about one page per row
        let rows = Int(Checkpointer.bulkThreshold) + 500
        try await onThread {
            try writer.write { connection in
                for _ in 0..<rows { try connection.run("INSERT INTO pad (body) VALUES (?)", [.text(pad)]) }
            }
        }
        #expect(checkpointer.statistics.byWriter == 0)
        try await waitUntil("the bulk commit's copy beside the writer") { checkpointer.statistics.bulk == 1 }
        let attributes = try FileManager.default.attributesOfItem(atPath: database.path)
        #expect(((attributes[.size] as? NSNumber)?.intValue ?? 0) >= rows * 4_096)
        try await onThread {
            for _ in 0..<1_500 { try writer.write { try $0.run("INSERT INTO pad (body) VALUES (?)", [.text(pad)]) } }
        }
        let statistics = checkpointer.statistics
        #expect(statistics.lastError == nil)
        #expect(statistics.bulk == 1)
        let count = try await onThread { try writer.write { try $0.withStatement("SELECT count(*) FROM pad") { try $0.step() ? $0.int64(0) : 0 } } }
        #expect(count == Int64(rows + 1_500))
    }

    /// A database with a table `pad`, its writer watched by a checkpointer; the caller closes both.
    private static func watchedWriter() throws -> (TemporaryDatabase, Checkpointer, GroupCommitWriter) {
        let database = try TemporaryDatabase()
        let checkpointer = Checkpointer(path: database.path, busyTimeoutMilliseconds: 5_000, synchronous: .normal)
        let connection = try database.openWriter(schema: "CREATE TABLE pad (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        checkpointer.watch(connection)
        return (database, checkpointer, try GroupCommitWriter(connection: connection))
    }
}
