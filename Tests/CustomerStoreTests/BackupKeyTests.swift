import Dispatch
import Foundation
import Synchronization
import Testing
@testable import CustomerStore

/// A keyed backup is as strict as every other keyed write (PROTOCOL.md 7.1): a second call under
/// its key waits for it and then finds what it stored. A backup does not hold the writer while it
/// copies, so a second call under the key looked it up before the first stored it: another
/// request under the same key (another `to`) ran beside the first and wrote a second backup
/// (spec30; gaps29 left it as best effort).
@Suite struct BackupKeyTests {
    func claim(_ fixture: Fixture, to target: String) -> IdempotencyClaim {
        IdempotencyClaim(userID: fixture.admin.id, key: "nightly", method: "test/Backup", request: Array(target.utf8))
    }

    @Test func anotherRequestUnderTheKeyOfABackupStillRunningIsRefusedOnceItEnds() throws {
        let fixture = try Fixture()
        for index in 0..<20 { try fixture.create("Asiakas \(index) Oy") }
        let folder = fixture.directory.path("backups")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let (first, second) = (folder + "/first", folder + "/second")

        let publishing = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let firstDone = DispatchSemaphore(value: 0)
        let firstOutcome = Mutex<KeyedOutcome<BackupSummary>?>(nil)
        Thread.detachNewThread {
            let outcome = try? fixture.store.backup(to: first, pagesPerStep: 4, publishing: {
                publishing.signal()
                _ = release.wait(timeout: .now() + 60)
            }, claim: claim(fixture, to: first), answer: { Array($0.path.utf8) })
            firstOutcome.withLock { $0 = outcome }
            firstDone.signal()
        }
        #expect(publishing.wait(timeout: .now() + 60) == .success)

        // The second starts while the first holds its key; its first copy step would come only
        // after its look-up, which waits for the first's end.
        let copying = DispatchSemaphore(value: 0)
        let secondDone = DispatchSemaphore(value: 0)
        let secondOutcome = Mutex<KeyedOutcome<BackupSummary>?>(nil)
        Thread.detachNewThread {
            let outcome = try? fixture.store.backup(to: second, pagesPerStep: 4, isAbandoned: {
                copying.signal()
                return false
            }, claim: claim(fixture, to: second), answer: { Array($0.path.utf8) })
            secondOutcome.withLock { $0 = outcome }
            secondDone.signal()
        }
        // Not a threshold: the second never copies while the first holds the key, so this wait
        // only gives it the time to try (before the fix it copied at once).
        #expect(copying.wait(timeout: .now() + 1) == .timedOut, "the second backup ran beside the first")
        release.signal()
        #expect(firstDone.wait(timeout: .now() + 60) == .success)
        #expect(secondDone.wait(timeout: .now() + 60) == .success)

        guard case .ran(let summary)? = firstOutcome.withLock({ $0 }) else {
            Issue.record("the first backup: \(String(describing: firstOutcome.withLock { $0 }))")
            return
        }
        #expect(summary.path == first)
        #expect(secondOutcome.withLock { $0 } == .earlier(.conflict(method: "test/Backup")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["first"])
    }
}
