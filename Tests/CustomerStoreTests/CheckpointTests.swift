import Foundation
import Testing
@testable import CustomerStore

@Suite struct CheckpointTests {
    /// Writes enough to pass the WAL threshold: the checkpointer copies the log into the database
    /// file beside the writer (the writer's own automatic checkpoint is off), and nothing is lost.
    @Test func aGrowingWALIsCopiedIntoTheDatabaseFileBesideTheWriter() async throws {
        let fixture = try Fixture()
        let path = fixture.directory.databasePath
        let sizeBefore = try Self.fileSize(path)
        for index in 1...600 { _ = try fixture.create("Checkpointed \(index) Oy") }
        var checkpoints = 0
        for _ in 0..<1_000 where checkpoints == 0 {
            checkpoints = fixture.store.checkpointer.statistics.checkpoints
            if checkpoints == 0 { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(checkpoints > 0)
        #expect(fixture.store.checkpointer.statistics.lastError == nil)
        #expect(try Self.fileSize(path) > sizeBefore)
        #expect(try fixture.store.customer(id: 600).name == "Checkpointed 600 Oy")
    }

    private static func fileSize(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }
}
