import TestSupport
import Foundation
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
    @Test func anotherOwnerIsRefusedWithItsPID() async throws {
        let database = try TemporaryDatabase()
        // flock(1) holds the lock in a child process until its stdin closes.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9>>\"$0\"; flock -n 9 || exit 1; echo $$ > \"$0\"; echo locked; read _", database.path + ".lock"]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        // A holder that neither locks nor exits is killed at the bound (which also ends the read).
        defer { if holder.isRunning { holder.terminate() } }
        let line = try await withDeadline("flock to take the lock") {
            await onThread { String(decoding: output.fileHandleForReading.readData(ofLength: 7), as: UTF8.self) }
        }
        #expect(line == "locked\n")
        let error = #expect(throws: DatabaseLockError.self) { try DatabaseLock(databasePath: database.path) }
        #expect(error == .inUse(ownerPID: holder.processIdentifier))
        try input.fileHandleForWriting.close()
        try await withDeadline("the lock holder to exit once its input closed") { await onThread { holder.waitUntilExit() } }
    }
}
