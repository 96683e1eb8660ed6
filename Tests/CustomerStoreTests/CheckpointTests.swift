import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct CheckpointTests {
    /// Writes one after another, as a busy writer does: most of the log is copied beside the writer,
    /// the writer finishes each copy, and the log restarts, so it stays near SQLite's 1 000-page
    /// threshold instead of growing with every write (a checkpoint only beside the writer never
    /// lets the log restart). Nothing written is lost.
    @Test func underSustainedWritesTheLogIsCopiedMostlyBesideTheWriterAndStaysBounded() async throws {
        let fixture = try Fixture()
        let logPath = fixture.directory.databasePath + "-wal"
        var largestLog = 0
        for index in 1...1_500 {
            _ = try fixture.create("Checkpointed \(index) Oy")
            if index % 25 == 0 { largestLog = max(largestLog, try Self.fileSize(logPath)) }
        }
        var statistics = fixture.store.checkpointer.statistics
        for _ in 0..<1_000 where statistics.background == 0 {
            try await Task.sleep(for: .milliseconds(10))
            statistics = fixture.store.checkpointer.statistics
        }
        #expect(statistics.background > 0)
        #expect(statistics.byWriter > 0)
        #expect(statistics.lastError == nil)
        // A WAL frame is a 4 096-byte page and a 24-byte header; three thresholds leave room for a group.
        #expect(largestLog < 3 * Int(Checkpointer.writerThreshold) * (4_096 + 24))
        #expect(try fixture.store.customer(id: 1_500).name == "Checkpointed 1500 Oy")
    }

    private static func fileSize(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }
}
