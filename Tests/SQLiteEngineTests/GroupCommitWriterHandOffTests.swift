import Foundation
import SQLiteEngine
import Synchronization
import TestSupport
import Testing

/// Writes handed over to the group-commit writer (`write(checksFirst:admission:handingOff:then:)`):
/// the caller goes on at once, and whoever runs the group gives each its outcome after the COMMIT.
@Suite struct GroupCommitWriterHandOffTests {
    typealias BodyError = GroupCommitWriterTests.BodyError

    /// The thread each named step ran on.
    final class ThreadsSeen: Sendable {
        private let seen = Mutex<[String: pthread_t]>([:])

        func note(_ step: String) {
            seen.withLock { $0[step] = pthread_self() }
        }

        subscript(step: String) -> pthread_t? { seen.withLock { $0[step] } }
    }

    /// The outcomes handed-off writes received, in the order they arrived, by name.
    final class Outcomes: Sendable {
        private let received = Mutex<[(name: String, result: Result<Int64, any Error>, committed: [String])]>([])
        let database: TemporaryDatabase

        init(_ database: TemporaryDatabase) {
            self.database = database
        }

        /// The completion for write `name`: it records the outcome and the rows committed by then.
        func completion(_ name: String) -> @Sendable (Result<Int64, any Error>) -> Void {
            { [self] result in
                var committed: [String] = []
                if let reader = try? database.openReader() {
                    committed = (try? loggedNames(reader)) ?? []
                    reader.close()
                }
                received.withLock { $0.append((name, result, committed)) }
            }
        }

        var count: Int { received.withLock { $0.count } }

        /// The writes answered so far, in the order of their answers.
        var names: [String] { received.withLock { $0.map(\.name) } }

        func outcome(of name: String) -> (result: Result<Int64, any Error>, committed: [String])? {
            received.withLock { all in all.first { $0.name == name }.map { ($0.result, $0.committed) } }
        }
    }

    /// Handed-off writes queued behind a running write return at once, while it still runs; they
    /// are written as one group after it, and each hears of its outcome only once its group
    /// committed (its completion already sees its row on another connection); a failing one gets
    /// its own error and is undone alone.
    @Test func handedOffWritesReturnAtOnceAndAreAnsweredAfterTheirCommit() async throws {
        let database = try TemporaryDatabase()
        let writer = try GroupCommitWriterTests.makeWriter(database)
        defer { writer.close() }
        let outcomes = Outcomes(database)
        let gate = Gate()
        let first = try await GroupCommitWriterTests.startHeldWrite(writer, gate, "A")
        await onThread {
            writer.write(handingOff: { try insertLog($0, "B") }, then: outcomes.completion("B"))
            writer.write(checksFirst: true, handingOff: { _ -> Int64 in throw BodyError(name: "C") },
                         then: outcomes.completion("C"))
            writer.write(handingOff: { try insertLog($0, "D") }, then: outcomes.completion("D"))
        }
        #expect(writer.statistics.waiting == 3)  // Returned with all three still queued.
        #expect(outcomes.count == 0)
        gate.open()
        #expect(try await first.value == 1)
        try await waitUntil("the three handed-off writes to be answered") { outcomes.count == 3 }

        #expect(try outcomes.outcome(of: "B")?.result.get() == 2)
        #expect(outcomes.outcome(of: "B")?.committed == ["A", "B", "D"])
        #expect(throws: BodyError(name: "C")) { try outcomes.outcome(of: "C")?.result.get() }
        #expect(try outcomes.outcome(of: "D")?.result.get() == 3)
        let statistics = writer.statistics
        #expect(statistics.groups == 2 && statistics.writes == 4 && statistics.waiting == 0)
    }

    /// A handed-off write on a free writer runs at once on the caller's thread and is answered
    /// before the call returns; a blocking write queued behind handed-off ones is still answered
    /// (the writer's own thread leads the group and wakes it).
    @Test func aLoneHandedOffWriteRunsInlineAndBlockingWritesMixIn() async throws {
        let database = try TemporaryDatabase()
        let writer = try GroupCommitWriterTests.makeWriter(database)
        defer { writer.close() }
        let outcomes = Outcomes(database)
        await onThread { writer.write(handingOff: { try insertLog($0, "A") }, then: outcomes.completion("A")) }
        #expect(outcomes.count == 1)
        #expect(try outcomes.outcome(of: "A")?.result.get() == 1)

        let gate = Gate()
        let held = try await GroupCommitWriterTests.startHeldWrite(writer, gate, "B")
        await onThread { writer.write(handingOff: { try insertLog($0, "C") }, then: outcomes.completion("C")) }
        let blocking = try await GroupCommitWriterTests.startQueuedWrite(writer, queued: 2) { try insertLog($0, "D") }
        await onThread { writer.write(handingOff: { try insertLog($0, "E") }, then: outcomes.completion("E")) }
        gate.open()
        #expect(try await held.value == 2)
        #expect(try await blocking.value == 4)
        try await waitUntil("the handed-off writes to be answered") { outcomes.count == 3 }
        #expect(try outcomes.outcome(of: "C")?.result.get() == 3)
        #expect(try outcomes.outcome(of: "E")?.result.get() == 5)
    }

    /// When the writer's own thread has a next group to lead, it does not answer the group it
    /// committed: a completion thread does, after the COMMIT (the completion sees the row from
    /// another connection), and groups are answered in the order they committed.
    @Test func theWritersOwnThreadLeadsOnWhileAnotherThreadAnswers() async throws {
        let database = try TemporaryDatabase()
        let writer = try GroupCommitWriterTests.makeWriter(database)
        defer { writer.close() }
        let outcomes = Outcomes(database)
        let threads = ThreadsSeen()
        let answering = { @Sendable (name: String) -> @Sendable (Result<Int64, any Error>) -> Void in
            let record = outcomes.completion(name)
            return { result in
                threads.note("answer " + name)
                record(result)
            }
        }
        let gate = Gate()
        let held = try await GroupCommitWriterTests.startHeldWrite(writer, gate, "A")
        let second = Gate()
        await onThread {
            writer.write(handingOff: { connection in
                threads.note("body B")
                second.hold()  // The writer's own thread leads B's group and holds it here.
                return try insertLog(connection, "B")
            }, then: answering("B"))
        }
        gate.open()
        #expect(try await held.value == 1)
        try await second.waitUntilHeld()
        await onThread { writer.write(handingOff: { try insertLog($0, "C") }, then: answering("C")) }
        #expect(writer.statistics.waiting == 1)  // C waits: B's thread has a next group to lead.
        second.open()
        try await waitUntil("B and C to be answered") { outcomes.count == 2 }

        #expect(outcomes.names == ["B", "C"])
        #expect(try outcomes.outcome(of: "B")?.result.get() == 2)
        #expect(outcomes.outcome(of: "B")?.committed.contains("B") == true)
        #expect(outcomes.outcome(of: "C")?.committed == ["A", "B", "C"])
        let ranOnWriter = try #require(threads["body B"])
        let answeredOn = try #require(threads["answer B"])
        #expect(pthread_equal(ranOnWriter, answeredOn) == 0)
        #expect(writer.statistics.groups == 3)
    }

    /// A handed-off write whose admission refuses when its turn comes writes nothing and hears
    /// the admission's error; one queued when the writer closes hears `ConnectionClosedError`.
    @Test func refusedAndClosedHandedOffWritesWriteNothing() async throws {
        let database = try TemporaryDatabase()
        let writer = try GroupCommitWriterTests.makeWriter(database)
        let outcomes = Outcomes(database)
        let gate = Gate()
        let held = try await GroupCommitWriterTests.startHeldWrite(writer, gate, "A")
        await onThread {
            writer.write(admission: { throw BodyError(name: "ended") }, handingOff: { try insertLog($0, "B") },
                         then: outcomes.completion("B"))
        }
        gate.open()
        #expect(try await held.value == 1)
        try await waitUntil("the refused write to be answered") { outcomes.count == 1 }
        #expect(throws: BodyError(name: "ended")) { try outcomes.outcome(of: "B")?.result.get() }
        #expect(outcomes.outcome(of: "B")?.committed == ["A"])

        let second = Gate()
        let heldAgain = try await GroupCommitWriterTests.startHeldWrite(writer, second, "C")
        await onThread { writer.write(handingOff: { try insertLog($0, "D") }, then: outcomes.completion("D")) }
        await onThread { writer.close() }
        #expect(throws: ConnectionClosedError()) { try outcomes.outcome(of: "D")?.result.get() }
        second.open()
        #expect(try await heldAgain.value == 2)
        let reader = try database.openReader()
        defer { reader.close() }
        #expect(try loggedNames(reader) == ["A", "C"])
    }
}
