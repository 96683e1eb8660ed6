import Testing
import TestSupport
import ThreadSync

@Suite struct ReadMostlyTests {
    @Test func aReadGoesOnWhileAnotherThreadIsInsideItsRead() async throws {
        let statuses = ReadMostly(["": 1])
        let gate = Gate()
        let held = ThreadTask { statuses.read { value in gate.hold(); return value[""] } }
        try await gate.waitUntilHeld()
        // Under an exclusive lock this read would wait for the gate, which opens only after it.
        let seen = try await withDeadline("a read while another thread reads") {
            await onThread { statuses.read { $0[""] } }
        }
        gate.open()
        #expect(seen == 1)
        #expect(try await held.value == 1)
    }

    @Test func aWriteIsSeenByTheReadsOfOtherThreadsAfterIt() async {
        let statuses = ReadMostly(["": 1])
        await onThread { statuses.write { $0["other"] = 2 } }
        let seen = await onThread { statuses.read { $0 } }
        #expect(seen == ["": 1, "other": 2])
    }
}
