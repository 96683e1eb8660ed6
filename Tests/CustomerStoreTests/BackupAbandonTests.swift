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

    /// The server takes its caller's answer in `publishing`: refused there (the stop came first and
    /// answered UNAVAILABLE), the backup ends with that error and nothing published or left.
    @Test func aRefusedPublicationEndsTheBackupWithNothingLeft() throws {
        struct StopCameFirst: Error {}
        let fixture = try Fixture()
        for index in 0..<20 { try fixture.create("Asiakas \(index) Oy") }
        let folder = fixture.directory.path("backups")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)

        let calls = Mutex(0)
        #expect(throws: StopCameFirst.self) {
            try fixture.store.backup(to: folder + "/refused", pagesPerStep: 4, publishing: {
                calls.withLock { $0 += 1 }
                throw StopCameFirst()
            })
        }
        #expect(calls.withLock { $0 } == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    /// A stop after the answer was taken (`publishing` returned) no longer ends the backup: the
    /// caller will be answered by this backup, so it is published whole. Before, nothing took the
    /// answer, and a stop in the last writes answered UNAVAILABLE while the backup was published.
    @Test func aStopAfterThePublicationWasClaimedLetsTheBackupFinish() throws {
        let fixture = try Fixture()
        for index in 0..<20 { try fixture.create("Asiakas \(index) Oy") }
        let folder = fixture.directory.path("backups")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)

        let claimed = Mutex(false)
        let summary = try fixture.store.backup(to: folder + "/claimed", pagesPerStep: 4,
                                               isAbandoned: { claimed.withLock { $0 } },   // the stop comes at the claim
                                               publishing: { claimed.withLock { $0 = true } })
        #expect(summary.manifest.customers == 20)
        #expect(FileManager.default.fileExists(atPath: folder + "/claimed/MANIFEST"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["claimed"])
    }
}
