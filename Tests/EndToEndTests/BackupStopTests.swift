import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// customerd's graceful stop and a backup still running (docs/OPERATIONS.md): the stop lets the
/// backup end before it closes the database, so the exit leaves no `.partial-` staging folder.
@Suite struct BackupStopTests {
    /// The backup is held in the middle of its copy, deterministically: the stored file's content
    /// is replaced by a FIFO of the same name, whose open and read wait until this test writes the
    /// content. The stop's grace period ends the call; then, with the backup still held, the stop
    /// either says it waits for it or ends (its "stopped"): which came first is what is checked,
    /// not how long anything took. Only then does the backup get its content and end, its
    /// staging folder removed. Without the wait, the stop ended while the backup still copied.
    @Test func aStopWaitsForARunningBackupToEndAndLeavesNoStagingFolder() async throws {
        let logs = LogCapture(label: "test-customerd", level: .notice)
        let server = try await onThread { try TestServer(logger: logs.logger) }
        var stop: ThreadTask<Void>?
        defer {
            // A failure before the stop began: stop here (a backup held by the FIFO was let go by
            // the defer below, which runs first).
            if stop == nil { server.app.shutdown() }
            try? FileManager.default.removeItem(at: server.directory)
        }
        let client = server.client()
        defer { client.close() }
        let owner = try await client.customers.create(CustomerFields(name: "Has a file"))
        let content = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        let file = try await client.files.upload(customerID: owner.id, name: "contract.pdf", data: content)
        let blob = server.databasePath + ".files/" + file.sha256.prefix(2) + "/" + file.sha256.dropFirst(2).prefix(2)
            + "/" + file.sha256
        try #require(unlink(blob) == 0 && mkfifo(blob, 0o600) == 0, "replacing \(blob) by a FIFO: \(errno)")
        defer {
            // A failure with the backup still held: its read ends (short, so the backup fails), and
            // no thread is left waiting on a FIFO the directory's removal makes unreachable.
            let release = open(blob, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if release >= 0 { close(release) }
        }
        let target = server.directory.path + "/backup"
        let call = Task { try await client.maintenance.backup(to: target) }

        // A FIFO opens for writing without blocking only once a reader has it open: the backup is
        // then inside the file's copy, and its read waits for what is written here.
        let writer = try await onThread { () throws -> Int32 in
            let giveUp = ContinuousClock.now + .seconds(testWaitLimit)
            while true {
                let writer = open(blob, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
                if writer >= 0 { return writer }
                guard errno == ENXIO, ContinuousClock.now < giveUp else {
                    throw Stalled("the backup did not open the stored file's content (errno \(errno))")
                }
                usleep(1_000)
            }
        }
        let stopping = ThreadTask { server.app.shutdown() }
        stop = stopping

        // Watched from a thread of its own, and the content written at once from there: the stop
        // waits for the backup only `BackupsInProgress.endWait`, and a busy machine's pool may
        // stall longer than that between two awaits.
        let stoppedFirst = try await onThread { () throws -> Bool in
            defer { close(writer) }
            let giveUp = ContinuousClock.now + .seconds(testWaitLimit)
            var waits = false
            var stopped = false
            while !waits && !stopped {
                guard ContinuousClock.now < giveUp else {
                    throw Stalled("the stop neither waited for the backup nor ended")
                }
                usleep(1_000)
                let lines = logs.all
                waits = lines.contains { $0.contains("waiting for the running backups to end") }
                stopped = lines.contains { $0.hasSuffix(" stopped\n") }
            }
            let written = content.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            guard written == content.count else {
                throw Stalled("writing the content into the FIFO: \(written) bytes, errno \(errno)")
            }
            return stopped && !waits
        }
        #expect(!stoppedFirst, "the stop ended while the backup was still copying: \(logs.all)")
        try await withDeadline("the stop to end after the backup") { try await stopping.value }
        let lines = logs.all
        let waited = lines.firstIndex { $0.contains("waiting for the running backups to end") && $0.contains("backups=1") }
        let stopped = lines.firstIndex { $0.hasSuffix(" stopped\n") }
        #expect(waited.map { waited in stopped.map { waited < $0 } ?? false } ?? false, "\(lines)")

        // The stop's grace period (2 s here) ended the call before the backup took its answer:
        // nothing is published, and the staging folder was removed before the stop ended.
        let cut = await call.result
        guard case .failure(let error as RPCError) = cut else {
            Issue.record("the backup's call was not refused: \(cut)")
            return
        }
        #expect(error.code == .unavailable, "\(error)")
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try BackupTests.stagingFolders(in: server.directory.path).isEmpty)
    }
}

/// A wait of this test's threads that ended at its bound (`testWaitLimit`), or a write that failed.
private struct Stalled: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
