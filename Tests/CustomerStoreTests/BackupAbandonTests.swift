import Foundation
import Synchronization
import Testing
@testable import CustomerStore

/// A backup abandoned (the server's stop cut its call) leaves nothing at its target, however late
/// the stop comes before the backup is published.
@Suite struct BackupAbandonTests {
    /// The stop comes after the last page was copied, while the copy is checked and synced (seconds
    /// on a large store or a busy machine): the backup still ends, nothing published, its staging
    /// folder gone. Before, the last question was asked before the last copy step, so a backup
    /// whose caller the stop had answered UNAVAILABLE was published whole anyway (BackupTests'
    /// SIGTERM case, end to end, failed so under load).
    @Test func aStopAfterTheLastCopyStepStillEndsTheBackupWithNothingPublished() throws {
        let fixture = try Fixture()
        for index in 0..<50 { try fixture.create("Asiakas \(index) Oy") }
        let folder = fixture.directory.path("backups")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        // Without file blobs, the copy loop asks once per step: a first backup counts the steps.
        let whole = try fixture.store.backup(to: folder + "/whole", pagesPerStep: 4)
        #expect(whole.steps > 1)

        let asked = Mutex(0)
        let abandoned = #expect(throws: StoreError.self) {
            try fixture.store.backup(to: folder + "/cut", pagesPerStep: 4, isAbandoned: {
                asked.withLock { count in
                    count += 1
                    return count > whole.steps   // every copy step went on; the stop comes after them
                }
            })
        }
        #expect(abandoned == .cancelled)
        #expect(!FileManager.default.fileExists(atPath: folder + "/cut"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["whole"])
    }
}
