import ServiceLog
import Synchronization
import TestSupport
import Testing

/// customerd's standard error read by nobody (redteam29): a logging thread must not wait for the
/// reader; what does not fit is dropped and counted, in order.
@Suite struct StandardErrorWriterTests {
    /// A reader that stops: the writer's first write is held at a gate until the test opens it.
    final class StuckReader: Sendable {
        let gate = Gate()
        let written = Mutex<[String]>([])
        private let first = Atomic(true)

        func write(_ text: String) {
            if first.exchange(false, ordering: .relaxed) { gate.hold() }
            written.withLock { $0.append(text) }
        }
    }

    @Test func linesPastTheLimitAreDroppedAndCountedWhileTheReaderIsStuck() async throws {
        let reader = StuckReader()
        // 100 bytes queued at most: three 30-byte lines fit behind the one being written.
        let writer = StandardErrorWriter(limit: 100, write: { reader.write($0) })
        let line = { (index: Int) in "line \(index) " + String(repeating: "x", count: 22) + "\n" }
        writer.enqueue(line(1))
        try await reader.gate.waitUntilHeld()
        // Each returns at once although the writer is blocked (a logging thread never waits).
        for index in 2...6 { writer.enqueue(line(index)) }
        reader.gate.open()
        await onThread { writer.drain(within: .seconds(testWaitLimit)) }
        let written = reader.written.withLock { $0 }
        #expect(written.count == 2)
        #expect(written.first == line(1))
        let batch = try #require(written.last)
        #expect(batch.hasPrefix(line(2) + line(3) + line(4)))
        #expect(!batch.contains("line 5") && !batch.contains("line 6"))
        let notice = batch.dropFirst(3 * line(2).utf8.count)
        #expect(notice.contains(" warning log: dropped=2 2 log lines were dropped: standard error was not read"))
        #expect(notice.hasSuffix("\n") && notice.filter { $0 == "\n" }.count == 1)

        // The count starts again: the next line is written alone, with no notice.
        writer.enqueue(line(7))
        await onThread { writer.drain(within: .seconds(testWaitLimit)) }
        #expect(reader.written.withLock { $0.last } == line(7))
    }
}
