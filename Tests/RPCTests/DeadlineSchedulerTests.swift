@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Synchronization
import TestSupport
import Testing

@Suite struct DeadlineSchedulerTests {
    /// The entries are scheduled, and one cancelled, while the scheduler's thread is held inside an
    /// earlier action: on a busy machine the test's own steps may take longer than the deadlines'
    /// spacing (seen: 4, scheduled first for +40 ms, fired before 1 was scheduled), so they are all
    /// in place, whatever the load, before any can fire.
    @Test func actionsFireInDeadlineOrderAndCancelledOnesNever() async throws {
        let scheduler = DeadlineScheduler()
        let fired = Mutex<[Int]>([])
        let probe = Probe()
        let gate = Gate()
        _ = scheduler.schedule(at: .now) { gate.hold() }
        try await gate.waitUntilHeld()
        let start = ContinuousClock.now
        // Scheduled out of order; 3 is cancelled before it is due.
        var entries: [Int: DeadlineScheduler.Entry] = [:]
        for (index, offset) in [(4, 40), (1, 10), (3, 30), (2, 20), (5, 50)] {
            entries[index] = scheduler.schedule(at: start + .milliseconds(offset)) {
                fired.withLock { $0.append(index) }
                probe.record("fired \(index)")
            }
        }
        if let third = entries[3] { scheduler.cancel(third) }
        gate.open()
        #expect(await probe.wait(for: "fired 5"))
        #expect(fired.withLock { $0 } == [1, 2, 4, 5])
    }

    @Test func aDeadlineEarlierThanThePlannedWakeUpStillFiresFirst() async {
        let scheduler = DeadlineScheduler()
        let fired = Mutex<[String]>([])
        let probe = Probe()
        _ = scheduler.schedule(at: .now + .seconds(30)) { fired.withLock { $0.append("late") } }
        _ = scheduler.schedule(at: .now + .milliseconds(5)) {
            fired.withLock { $0.append("early") }
            probe.record("early")
        }
        #expect(await probe.wait(for: "early"))
        // The order, not the list now: a busy machine may resume this task after "late" fired too.
        #expect(fired.withLock { $0 }.first == "early")
    }
}
