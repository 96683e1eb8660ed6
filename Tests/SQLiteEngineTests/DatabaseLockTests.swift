import CommandLineKit
import Foundation
import TestSupport
import Testing
import SQLiteEngine

@Suite struct DatabaseLockTests {
    /// The lock file holds the owner's pid; released, the lock can be taken again.
    @Test func theLockRecordsItsOwnerAndIsReleased() throws {
        let database = try TemporaryDatabase()
        let lock = try DatabaseLock(databasePath: database.path)
        #expect(lock.path == database.path + ".lock")
        let recorded = try String(contentsOfFile: lock.path, encoding: .utf8)
        #expect(recorded == "\(ProcessInfo.processInfo.processIdentifier)\n")
        lock.release()
        lock.release()  // Harmless twice.
        let again = try DatabaseLock(databasePath: database.path)
        again.release()
    }

    /// Another process holding the lock is refused with its pid.
    ///
    /// The holder is a `ChildProcess`, not Foundation's `Process`: its `run()` can crash the whole
    /// test process (swift-corelibs-foundation #5472, see `ChildProcess`), which every other test
    /// shares, and more likely the more descriptors other tests hold open at that moment.
    @Test func anotherOwnerIsRefusedWithItsPID() async throws {
        let database = try TemporaryDatabase()
        let input = Pipe()
        let output = Pipe()
        // flock(1) holds the lock in a child process until its input (descriptor 3) closes.
        let holder = try ChildProcess.spawn(
            "/bin/sh", ["-c", "exec 9>>\"$0\"; flock -n 9 || exit 1; echo $$ > \"$0\"; echo locked; read _ <&3",
                        database.path + ".lock"],
            standardOutput: output.fileHandleForWriting.fileDescriptor,
            passing: [input.fileHandleForReading.fileDescriptor])
        // A holder that neither locks nor exits is killed at the bound (which also ends the read).
        defer { holder.killInBackground() }
        // Only the child's copies stay open: its exit ends the read below.
        try output.fileHandleForWriting.close()
        try input.fileHandleForReading.close()
        let line = try await withDeadline("flock to take the lock") {
            await onThread { String(decoding: output.fileHandleForReading.readData(ofLength: 7), as: UTF8.self) }
        }
        #expect(line == "locked\n")
        let error = #expect(throws: DatabaseLockError.self) { try DatabaseLock(databasePath: database.path) }
        #expect(error == .inUse(ownerPID: holder.pid))
        try input.fileHandleForWriting.close()
        _ = try await holder.exitStatus("the lock holder to exit once its input closed")
    }
}
