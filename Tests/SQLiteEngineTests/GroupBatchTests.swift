import CSQLite
import TestSupport
import Foundation
import Synchronization
import Testing
import SQLiteEngine

/// Members that join the writer's batch (`write(checksFirst:joiningBatch:…)`) queue their rows
/// while the batch collects; the writer writes them before a member that does not join and before
/// COMMIT, and drops them when the group is rolled back.
@Suite struct GroupBatchTests {
    /// Queues names for the `log` table, written with one multi-row INSERT a flush; a flush of a
    /// batch holding "boom" fails after writing.
    final class LogBatch: GroupBatch, Sendable {
        private let names = Mutex<[String]>([])
        private let collecting = Mutex(false)
        var collects: Bool {
            get { collecting.withLock { $0 } }
            set { collecting.withLock { $0 = newValue } }
        }
        /// How many rows each flush that had any wrote.
        let flushes = Mutex<[Int]>([])

        static let insert = MultiRowInsert(into: "log", columns: ["name"])

        /// A member's body: queues `name` when the batch collects, otherwise writes it.
        /// - Returns: `name`, or "alone" when it wrote its row itself.
        func queueOrWrite(_ connection: SQLiteConnection, _ name: String) throws -> String {
            guard collects else {
                try insertLog(connection, name)
                return "alone"
            }
            names.withLock { $0.append(name) }
            return name
        }

        func flush(_ connection: SQLiteConnection) throws {
            let queued = names.withLock { names in
                defer { names = [] }
                return names
            }
            guard !queued.isEmpty else { return }
            flushes.withLock { $0.append(queued.count) }
            try connection.insertRows(Self.insert, queued.map { [.text($0)] })
            if queued.contains("boom") { throw SQLiteError(code: SQLITE_IOERR, message: "boom", context: "test batch") }
        }

        func discard() {
            names.withLock { $0 = [] }
        }
    }

    static func makeWriter(_ database: TemporaryDatabase, _ batch: LogBatch) throws -> GroupCommitWriter {
        try GroupCommitWriter(connection: try database.openWriter(), groupBudgetNanoseconds: 60_000_000_000, batch: batch)
    }

    /// A writer with a batch, whose lead a first write (of "A") holds until `gate` opens, so the
    /// members a test starts queue behind it and form one group.
    static func heldWriter() async throws
        -> (TemporaryDatabase, LogBatch, GroupCommitWriter, Gate, ThreadTask<Int64>) {
        let database = try TemporaryDatabase()
        let batch = LogBatch()
        let writer = try makeWriter(database, batch)
        let gate = Gate()
        let held = ThreadTask { try writer.write { gate.hold(); return try insertLog($0, "A") } }
        try await gate.waitUntilHeld()
        return (database, batch, writer, gate, held)
    }

    /// Starts a member that joins the batch with `name` and returns once it is queued.
    static func startQueuedBatchMember(_ writer: GroupCommitWriter, _ batch: LogBatch, queued: Int, _ name: String,
                                       admission: (@Sendable () throws -> Void)? = nil) async throws -> ThreadTask<String> {
        let task = ThreadTask {
            try writer.write(checksFirst: true, joiningBatch: true, admission: admission) { try batch.queueOrWrite($0, name) }
        }
        try await waitUntil("\(queued) writes to wait in the writer's queue") { writer.statistics.waiting >= queued }
        return task
    }

    /// A lone member is not asked to collect and writes its own row in its own transaction; in a
    /// group the batch is written before a member that does not join it (which sees the rows) and
    /// once more before COMMIT.
    @Test func theBatchIsWrittenBeforeOtherMembersAndBeforeCommit() async throws {
        let database = try TemporaryDatabase()
        let batch = LogBatch()
        let writer = try Self.makeWriter(database, batch)
        defer { writer.close() }
        #expect(try writer.write(checksFirst: true, joiningBatch: true) { try batch.queueOrWrite($0, "alone") } == "alone")
        #expect(!batch.collects)
        let gate = Gate()
        let held = ThreadTask { try writer.write { gate.hold(); return try insertLog($0, "A") } }
        try await gate.waitUntilHeld()
        let first = try await Self.startQueuedBatchMember(writer, batch, queued: 1, "B")
        let second = try await Self.startQueuedBatchMember(writer, batch, queued: 2, "C")
        let reading = ThreadTask { try writer.write { try insertLog($0, "D") } }
        try await waitUntil("3 writes to wait in the writer's queue") { writer.statistics.waiting >= 3 }
        let third = try await Self.startQueuedBatchMember(writer, batch, queued: 4, "E")
        gate.open()

        #expect(try await held.value == 2)
        #expect(try await first.value == "B")
        #expect(try await second.value == "C")
        #expect(try await third.value == "E")
        #expect(try await reading.value == 5)  // alone, A, B, C and its own.
        #expect(!batch.collects)
        #expect(batch.flushes.withLock { $0 } == [2, 1])
        let reader = try database.openReader()
        defer { reader.close() }
        #expect(try loggedNames(reader) == ["alone", "A", "B", "C", "D", "E"])
    }

    /// A member of a batch that is refused (its admission, as a call whose deadline passed while
    /// it queued, or its own check) queues nothing and does not fail the others: they are written
    /// and answered.
    @Test func aRefusedMemberLeavesTheOthersOfItsBatchWritten() async throws {
        struct Refused: Error, Equatable {}
        let (database, batch, writer, gate, held) = try await Self.heldWriter()
        defer { writer.close() }
        let before = try await Self.startQueuedBatchMember(writer, batch, queued: 1, "B")
        let late = try await Self.startQueuedBatchMember(writer, batch, queued: 2, "late", admission: { throw Refused() })
        let checking = ThreadTask {
            try writer.write(checksFirst: true, joiningBatch: true) { _ -> String in throw Refused() }
        }
        try await waitUntil("3 writes to wait in the writer's queue") { writer.statistics.waiting >= 3 }
        let after = try await Self.startQueuedBatchMember(writer, batch, queued: 4, "C")
        gate.open()

        #expect(try await held.value == 1)
        #expect(try await before.value == "B")
        await #expect(throws: Refused()) { try await late.value }
        await #expect(throws: Refused()) { try await checking.value }
        #expect(try await after.value == "C")
        #expect(batch.flushes.withLock { $0 } == [2])
        let reader = try database.openReader()
        defer { reader.close() }
        #expect(try loggedNames(reader) == ["A", "B", "C"])
    }

    /// Handed-off members join the batch as waiting ones do: answered after the COMMIT that wrote
    /// their rows (the completion already sees them on another connection).
    @Test func handedOffMembersAreAnsweredAfterTheirBatchCommitted() async throws {
        let (database, batch, writer, gate, held) = try await Self.heldWriter()
        defer { writer.close() }
        let outcomes = Mutex<[String: (name: String, committed: [String])]>([:])
        await onThread {
            for name in ["B", "C", "D"] {
                writer.write(checksFirst: true, joiningBatch: true, handingOff: { try batch.queueOrWrite($0, name) }) { result in
                    var committed: [String] = []
                    if let reader = try? database.openReader() {
                        committed = (try? loggedNames(reader)) ?? []
                        reader.close()
                    }
                    outcomes.withLock { $0[name] = ((try? result.get()) ?? "failed", committed) }
                }
            }
        }
        gate.open()
        #expect(try await held.value == 1)
        try await waitUntil("the three handed-off writes to be answered") { outcomes.withLock { $0.count } == 3 }
        for name in ["B", "C", "D"] {
            let outcome = outcomes.withLock { $0[name] }
            #expect(outcome?.name == name)
            #expect(outcome?.committed == ["A", "B", "C", "D"])
        }
        #expect(batch.flushes.withLock { $0 } == [3])
    }

    /// A batch that fails to be written stops its group as a failed COMMIT does: every member gets
    /// the error and nothing is committed; what the batch held is not written by a later group.
    @Test func aFailingBatchRollsBackItsGroup() async throws {
        let (database, batch, writer, gate, held) = try await Self.heldWriter()
        defer { writer.close() }
        let kept = try await Self.startQueuedBatchMember(writer, batch, queued: 1, "B")
        let failing = try await Self.startQueuedBatchMember(writer, batch, queued: 2, "boom")
        gate.open()

        for task in [kept, failing] {
            let error = await #expect(throws: SQLiteError.self) { try await task.value }
            #expect(error?.message == "boom")
        }
        #expect(try await held.value == 1)  // It led a group of its own, formed before the others queued.
        #expect(try writer.write { try insertLog($0, "after") } == 2)
        let reader = try database.openReader()
        defer { reader.close() }
        #expect(try loggedNames(reader) == ["A", "after"])
    }
}
