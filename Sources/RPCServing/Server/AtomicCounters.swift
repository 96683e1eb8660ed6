import Synchronization

/// Counters that any thread adds to with one relaxed atomic add, no lock: the statistics counted
/// on every call by every connection thread (``ServerStatistics``, ``MethodStatistics``), so that a
/// thread preempted while counting never makes another wait in futex(2) (a shared `Mutex` per call
/// did, 16 connection threads on 2 cores). Read one by one: a snapshot taken while calls end may
/// count a call in one counter and not yet in another.
struct AtomicCounters<let count: Int>: ~Copyable, Sendable {
    private let values: InlineArray<count, Atomic<UInt64>>

    init() {
        values = InlineArray { _ in Atomic(0) }
    }

    /// `index` is below `count`: the callers index with an enum's raw value or a clamped bucket.
    func add(_ amount: UInt64 = 1, at index: Int) {
        values[index].wrappingAdd(amount, ordering: .relaxed)
    }

    var all: [UInt64] {
        (0..<count).map { values[$0].load(ordering: .relaxed) }
    }
}
