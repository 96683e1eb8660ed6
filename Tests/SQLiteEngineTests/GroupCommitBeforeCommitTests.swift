import TestSupport
import Testing
import SQLiteEngine
import Synchronization

/// The writer's `beforeCommit` check (the store's: its files still at their paths) holds for every
/// write acknowledged: a group it refuses is rolled back whole, a group of one too.
@Suite struct GroupCommitBeforeCommitTests {
    struct Refused: Error, Equatable {}

    final class Switch: Sendable {
        let isOn = Atomic<Bool>(false)
    }

    @Test func aRefusingCheckRollsBackAGroupOfSeveralAndAGroupOfOne() async throws {
        let database = try TemporaryDatabase()
        let refusing = Switch()
        let writer = try GroupCommitWriter(connection: try database.openWriter(), groupBudgetNanoseconds: 60_000_000_000,
                                           beforeCommit: { if refusing.isOn.load(ordering: .relaxed) { throw Refused() } })
        defer { writer.close() }
        #expect(try writer.write { try insertLog($0, "kept") } == 1)

        refusing.isOn.store(true, ordering: .relaxed)
        let gate = Gate()
        let first = try await GroupCommitWriterTests.startHeldWrite(writer, gate, "A")
        let second = try await GroupCommitWriterTests.startQueuedWrite(writer, queued: 1) { try insertLog($0, "B") }
        gate.open()
        await #expect(throws: Refused()) { try await first.value }
        await #expect(throws: Refused()) { try await second.value }
        #expect(throws: Refused()) { try writer.write { try insertLog($0, "alone") } }

        let reader = try database.openReader()
        defer { reader.close() }
        #expect(try loggedNames(reader) == ["kept"])
    }
}
