import CSQLite
import TestSupport
import Foundation
import Testing
import SQLiteEngine
import Synchronization

/// The group-commit writer on a bare table: writes queued while one runs share the next
/// transaction, each in its own savepoint; groups are formed on purpose by holding the first write
/// inside its body until the others have queued.
@Suite struct GroupCommitWriterTests {
    struct BodyError: Error, Equatable {
        let name: String
    }

    /// A writer on a fresh `log` table, with a group budget long enough that a busy machine never
    /// splits a group the test means as one.
    static func makeWriter(_ database: TemporaryDatabase) throws -> GroupCommitWriter {
        try GroupCommitWriter(connection: try database.openWriter(), groupBudgetNanoseconds: 60_000_000_000)
    }

    static func startHeldWrite(_ writer: GroupCommitWriter, _ gate: Gate, _ name: String) async throws
        -> ThreadTask<Int64> {
        let task = ThreadTask { try writer.write { gate.hold(); return try insertLog($0, name) } }
        try await gate.waitUntilHeld()
        return task
    }

    static func startQueuedWrite(_ writer: GroupCommitWriter, queued: Int, checksFirst: Bool = false,
                                 _ body: @escaping @Sendable (SQLiteConnection) throws -> Int64) async throws -> ThreadTask<Int64> {
        let task = ThreadTask { try writer.write(checksFirst: checksFirst, body) }
        try await waitUntil("\(queued) writes to wait in the writer's queue") { writer.statistics.waiting >= queued }
        return task
    }

    /// Writes queued behind a running one run in one transaction, in queue order; a body that
    /// throws is undone alone and its caller gets its own error; the others commit.
    @Test func queuedWritesShareOneTransactionAndAFailureIsIsolated() async throws {
        let database = try TemporaryDatabase()
        let writer = try Self.makeWriter(database)
        defer { writer.close() }
        let gate = Gate()
        let first = try await Self.startHeldWrite(writer, gate, "A")
        let second = try await Self.startQueuedWrite(writer, queued: 1) { try insertLog($0, "B") }
        let failing = try await Self.startQueuedWrite(writer, queued: 2) { connection in
            try insertLog(connection, "C")
            throw BodyError(name: "C")
        }
        let fourth = try await Self.startQueuedWrite(writer, queued: 3) { try insertLog($0, "D") }
        gate.open()

        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        await #expect(throws: BodyError(name: "C")) { try await failing.value }
        #expect(try await fourth.value == 3)  // C's row was gone before D ran.
        let statistics = writer.statistics
        #expect(statistics.groups == 2 && statistics.writes == 4 && statistics.waiting == 0)
        let reader = try database.openReader()
        defer { reader.close() }
        #expect(try loggedNames(reader) == ["A", "B", "D"])
    }

    /// A member that rewrites far more than 64 KiB of pages an earlier member changed (its
    /// savepoint journal, kept in memory, holds them all) is still undone alone.
    @Test func aLargeFailedMemberIsUndoneFromItsInMemoryJournal() async throws {
        let database = try TemporaryDatabase()
        let writer = try Self.makeWriter(database)
        defer { writer.close() }
        #expect(try writer.connection.pragma("temp_store") == "2")  // MEMORY
        let gate = Gate()
        let filler = String(repeating: "x", count: 1_000)
        let first = ThreadTask {
            try writer.write { connection -> Int64 in
                gate.hold()
                for index in 0..<400 { try connection.run("INSERT INTO log (name) VALUES (?)", [.text("\(index) \(filler)")]) }
                return 400
            }
        }
        try await gate.waitUntilHeld()
        let failing = try await Self.startQueuedWrite(writer, queued: 1) { connection in
            try connection.run("UPDATE log SET name = 'y' || name")
            throw BodyError(name: "rewrite")
        }
        let last = try await Self.startQueuedWrite(writer, queued: 2) { try insertLog($0, "D") }
        gate.open()

        #expect(try await first.value == 400)
        await #expect(throws: BodyError(name: "rewrite")) { try await failing.value }
        #expect(try await last.value == 401)
        let reader = try database.openReader()
        defer { reader.close() }
        let names = try loggedNames(reader)
        #expect(names.count == 401 && names.last == "D")
        #expect(names.dropLast().allSatisfy { $0.hasSuffix(filler) && !$0.hasPrefix("y") })
    }

    /// A SQLite error in one member (a UNIQUE violation) is that member's alone, with its code.
    @Test func aConstraintErrorStaysWithItsWrite() async throws {
        let database = try TemporaryDatabase()
        let writer = try Self.makeWriter(database)
        defer { writer.close() }
        let gate = Gate()
        let first = try await Self.startHeldWrite(writer, gate, "A")
        let duplicate = try await Self.startQueuedWrite(writer, queued: 1) { try insertLog($0, "A") }
        let other = try await Self.startQueuedWrite(writer, queued: 2) { try insertLog($0, "B") }
        gate.open()

        #expect(try await first.value == 1)
        let error = await #expect(throws: SQLiteError.self) { try await duplicate.value }
        #expect(error?.code == SQLiteError.constraintUnique)
        #expect(try await other.value == 2)
    }

    /// Members that check first run without a savepoint: one refused before any change, by its own
    /// check or by a statement SQLite undid (a UNIQUE violation), fails alone; the others commit.
    @Test func aMemberThatChecksFirstIsRefusedAlone() async throws {
        let database = try TemporaryDatabase()
        let writer = try Self.makeWriter(database)
        defer { writer.close() }
        let gate = Gate()
        let first = try await Self.startHeldWrite(writer, gate, "A")
        let checked = try await Self.startQueuedWrite(writer, queued: 1, checksFirst: true) { try insertLog($0, "B") }
        let refused = try await Self.startQueuedWrite(writer, queued: 2, checksFirst: true) { _ in
            throw BodyError(name: "check")
        }
        let duplicate = try await Self.startQueuedWrite(writer, queued: 3, checksFirst: true) { try insertLog($0, "A") }
        let last = try await Self.startQueuedWrite(writer, queued: 4, checksFirst: true) { try insertLog($0, "D") }
        gate.open()

        #expect(try await first.value == 1)
        #expect(try await checked.value == 2)
        await #expect(throws: BodyError(name: "check")) { try await refused.value }
        let error = await #expect(throws: SQLiteError.self) { try await duplicate.value }
        #expect(error?.code == SQLiteError.constraintUnique)
        #expect(try await last.value == 3)
        #expect(writer.statistics.groups == 2)  // B to D shared one transaction.
        let reader = try database.openReader()
        defer { reader.close() }
        #expect(try loggedNames(reader) == ["A", "B", "D"])
    }

    /// A member whose admission refuses when its turn comes (its call ended while it queued) never
    /// runs its body and gets the admission's error; the members beside it commit; admissions are
    /// asked in queue order, on the group's thread, once each; a write alone is asked before BEGIN.
    @Test func aMemberRefusedAdmissionDoesNotRun() async throws {
        let database = try TemporaryDatabase()
        let writer = try Self.makeWriter(database)
        defer { writer.close() }
        let asked = Mutex<[String]>([])
        let gate = Gate()
        let first = try await Self.startHeldWrite(writer, gate, "A")
        let admitted = ThreadTask {
            try writer.write(admission: { asked.withLock { $0.append("B") } }) { try insertLog($0, "B") }
        }
        try await waitUntil("1 write to wait in the writer's queue") { writer.statistics.waiting >= 1 }
        let refused = ThreadTask {
            try writer.write(admission: {
                asked.withLock { $0.append("C") }
                throw BodyError(name: "ended")
            }) { try insertLog($0, "C") }
        }
        try await waitUntil("2 writes to wait in the writer's queue") { writer.statistics.waiting >= 2 }
        let last = try await Self.startQueuedWrite(writer, queued: 3) { try insertLog($0, "D") }
        gate.open()

        #expect(try await first.value == 1)
        #expect(try await admitted.value == 2)
        await #expect(throws: BodyError(name: "ended")) { try await refused.value }
        #expect(try await last.value == 3)
        #expect(asked.withLock { $0 } == ["B", "C"])
        #expect(writer.statistics.groups == 2)  // B to D shared one transaction.

        await #expect(throws: BodyError(name: "alone")) {
            try await ThreadTask { try writer.write(admission: { throw BodyError(name: "alone") }) { try insertLog($0, "E") } }.value
        }
        #expect(try await ThreadTask { try writer.write { try insertLog($0, "F") } }.value == 4)
        let reader = try database.openReader()
        defer { reader.close() }
        #expect(try loggedNames(reader) == ["A", "B", "D", "F"])
    }

    /// A member that checks first but throws after changing a row cannot be undone alone: its
    /// group's transaction is rolled back, it gets its own error and the members that ran before
    /// it an abort, none of their rows stays, and the members after it commit in the next group.
    @Test func aMemberThatChangedBeforeFailingRollsBackItsGroup() async throws {
        let database = try TemporaryDatabase()
        let writer = try Self.makeWriter(database)
        defer { writer.close() }
        let gate = Gate()
        let first = try await Self.startHeldWrite(writer, gate, "A")
        let earlier = try await Self.startQueuedWrite(writer, queued: 1) { try insertLog($0, "B") }
        let failing = try await Self.startQueuedWrite(writer, queued: 2, checksFirst: true) { connection in
            try insertLog(connection, "C")
            throw BodyError(name: "C")
        }
        let later = try await Self.startQueuedWrite(writer, queued: 3, checksFirst: true) { try insertLog($0, "D") }
        gate.open()

        #expect(try await first.value == 1)
        let aborted = await #expect(throws: SQLiteError.self) { try await earlier.value }
        #expect(aborted?.primaryCode == SQLITE_ABORT)
        await #expect(throws: BodyError(name: "C")) { try await failing.value }
        #expect(try await later.value == 2)
        let reader = try database.openReader()
        defer { reader.close() }
        #expect(try loggedNames(reader) == ["A", "D"])
    }

    /// A write started from inside a running write's body is refused, not left waiting for itself.
    @Test func aWriteInsideAWriteIsRefused() async throws {
        let database = try TemporaryDatabase()
        let writer = try Self.makeWriter(database)
        defer { writer.close() }
        let nested = try await onThread {
            try writer.write { _ in Result { try writer.write { try insertLog($0, "nested") } } }
        }
        #expect(throws: SQLiteError.self) { try nested.get() }
    }

    /// `close()` refuses later writes with `ConnectionClosedError`.
    /// Work done in the writer's idle time (the store's search index) runs only while nobody leads
    /// or waits: refused at once while a write runs and while one is queued, run once the writer is
    /// free, a write arriving meanwhile queued behind it; refused with the closed error once closed.
    @Test func idleWorkRunsOnlyWhenTheWriterIsFree() async throws {
        let database = try TemporaryDatabase()
        let writer = try Self.makeWriter(database)
        let gate = Gate()
        let first = try await Self.startHeldWrite(writer, gate, "A")
        #expect(try await onThread { try writer.withConnectionIfIdle { try insertLog($0, "idle") } } == nil)
        let queued = try await Self.startQueuedWrite(writer, queued: 1) { try insertLog($0, "B") }
        #expect(try await onThread { try writer.withConnectionIfIdle { try insertLog($0, "idle") } } == nil)
        gate.open()
        #expect(try await first.value == 1)
        #expect(try await queued.value == 2)
        let idleGate = Gate()
        let idle = ThreadTask {
            try writer.withConnectionIfIdle { connection in
                idleGate.hold()
                return try connection.transaction("BEGIN IMMEDIATE") { try insertLog(connection, "idle") }
            }
        }
        try await idleGate.waitUntilHeld()
        let behind = try await Self.startQueuedWrite(writer, queued: 1) { try insertLog($0, "C") }
        idleGate.open()
        #expect(try await idle.value == 3)
        #expect(try await behind.value == 4)
        writer.close()
        await #expect(throws: ConnectionClosedError()) { try await onThread { try writer.withConnectionIfIdle { _ in 0 } } }
    }

    @Test func aClosedWriterRefusesWrites() async throws {
        let database = try TemporaryDatabase()
        let writer = try Self.makeWriter(database)
        _ = try await onThread { try writer.write { try insertLog($0, "A") } }
        writer.close()
        await #expect(throws: ConnectionClosedError()) { try await onThread { try writer.write { try insertLog($0, "B") } } }
    }
}
