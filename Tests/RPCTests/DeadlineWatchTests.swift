@testable import RPCTransport
import Synchronization
import Testing
import ThreadSync

@Suite struct DeadlineWatchTests {
    /// After a suspend the scheduler's clock (`ContinuousClock`, which counts time suspended) is
    /// ahead of the watch's (`MonotonicClock`): the entry fires while the deadline it was set for
    /// has not passed by the watch's clock, and the owner reports that deadline as the earliest
    /// left. The watch must set an entry for it again, not take the one that fired for one still
    /// waiting: else that call, and every later one of no earlier deadline, would never end at it.
    @Test func anEntryThatFiredBeforeItsDeadlineIsSetAgainForIt() async {
        let owner = EarlyFiringOwner(scheduler: DeadlineScheduler(), deadline: MonotonicClock.nanoseconds() + 5_000_000)
        owner.start()
        #expect(await owner.probe.wait(for: "fired 2"))
        #expect(owner.probe.recorded == ["fired 1", "fired 2"])
    }
}

/// A connection's call table reduced to one call whose deadline the first firing finds not yet
/// passed (as after a suspend) and the second finds gone.
private final class EarlyFiringOwner: Sendable {
    let probe = Probe()
    private let watch: Mutex<DeadlineWatch>
    private let firings = Atomic<Int>(0)
    private let deadline: UInt64

    init(scheduler: DeadlineScheduler, deadline: UInt64) {
        watch = Mutex(DeadlineWatch(scheduler: scheduler))
        self.deadline = deadline
    }

    func start() {
        watch.withLock { $0.include(deadline) { action } }
    }

    private var action: @Sendable () -> Void {
        { [self] in fired() }
    }

    private func fired() {
        let count = firings.add(1, ordering: .relaxed).newValue
        watch.withLock { $0.fired(next: count == 1 ? deadline : nil) { action } }
        probe.record("fired \(count)")
    }
}
