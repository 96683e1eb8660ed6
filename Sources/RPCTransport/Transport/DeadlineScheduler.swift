import RPCCore

/// Runs short actions at deadlines on one shared thread (call deadlines on both sides).
///
/// Entries live in an indexed binary min-heap, so cancelling a finished call's deadline is
/// O(log n) and releases it at once. The thread is only signalled when a new deadline is
/// *earlier* than the time it already plans to wake at: in the steady state of calls with equal
/// timeouts, registering a deadline wakes nobody (waking a sleeping thread costs ~20 µs here).
/// Actions run on the scheduler thread and must not block; anything that writes to a socket is
/// dispatched elsewhere by the action itself.
package final class DeadlineScheduler: @unchecked Sendable {   // all mutable state guarded by `lock`
    package static let shared = DeadlineScheduler()

    /// A scheduled action; pass it to ``cancel(_:)`` when the call ends first.
    package final class Entry: @unchecked Sendable {   // `index` is only touched under the scheduler's lock
        package let deadline: ContinuousClock.Instant
        package let action: @Sendable () -> Void
        fileprivate var index = -1

        fileprivate init(deadline: ContinuousClock.Instant, action: @escaping @Sendable () -> Void) {
            self.deadline = deadline
            self.action = action
        }
    }

    private let lock = ConditionLock()
    private var heap: [Entry] = []
    /// When the thread will wake by itself; nil while it sleeps without a timeout (or is not started).
    private var plannedWake: ContinuousClock.Instant?
    private var threadStarted = false

    package func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> Entry {
        let entry = Entry(deadline: deadline, action: action)
        lock.lock()
        insert(entry)
        if !threadStarted {
            threadStarted = true
            do {
                try ThreadLauncher.start { [self] in run() }
            } catch {
                threadStarted = false   // retried on the next schedule; deadlines still end with the call
            }
        } else if plannedWake.map({ deadline < $0 }) ?? true {
            lock.signal()
        }
        lock.unlock()
        return entry
    }

    /// Removes an entry that has not fired; harmless if it already fired or was cancelled.
    package func cancel(_ entry: Entry) {
        lock.withLock {
            guard entry.index >= 0 else { return }
            remove(at: entry.index)
        }
    }

    private func run() {
        var due: [Entry] = []
        lock.lock()
        while true {
            let now = ContinuousClock.now
            while let first = heap.first, first.deadline <= now {
                remove(at: 0)
                due.append(first)
            }
            if !due.isEmpty {
                lock.unlock()
                for entry in due { entry.action() }
                due.removeAll(keepingCapacity: true)
                lock.lock()
                continue
            }
            if let first = heap.first {
                plannedWake = first.deadline
                lock.wait(until: first.deadline)
            } else {
                plannedWake = nil
                lock.wait()
            }
        }
    }

    // MARK: Heap (caller holds the lock)

    private func insert(_ entry: Entry) {
        entry.index = heap.count
        heap.append(entry)
        siftUp(entry.index)
    }

    private func remove(at index: Int) {
        let removed = heap[index]
        let last = heap.removeLast()
        removed.index = -1
        guard index < heap.count else { return }
        heap[index] = last
        last.index = index
        siftUp(index)
        siftDown(last.index)
    }

    private func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private func siftDown(_ start: Int) {
        var parent = start
        while true {
            var smallest = parent
            let left = 2 * parent + 1
            if left < heap.count && heap[left].deadline < heap[smallest].deadline { smallest = left }
            if left + 1 < heap.count && heap[left + 1].deadline < heap[smallest].deadline { smallest = left + 1 }
            guard smallest != parent else { return }
            swapAt(parent, smallest)
            parent = smallest
        }
    }

    private func swapAt(_ first: Int, _ second: Int) {
        heap.swapAt(first, second)
        heap[first].index = first
        heap[second].index = second
    }
}
