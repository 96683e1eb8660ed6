import RPCCore
import Synchronization
import ThreadSync

/// Runs short actions at deadlines on one shared thread (call deadlines on both sides: one entry
/// per connection, not per call, ``DeadlineWatch``).
///
/// Entries live in an indexed binary min-heap, so cancelling a finished call's deadline is
/// O(log n) and releases it at once. The thread is only signalled when a new deadline is
/// *earlier* than the time it already plans to wake at: in the steady state of calls with equal
/// timeouts, registering a deadline wakes nobody (waking a sleeping thread costs ~20 µs here).
/// Actions run on the scheduler thread and must not block; anything that writes to a socket is
/// dispatched elsewhere by the action itself.
package final class DeadlineScheduler: Sendable {
    package static let shared = DeadlineScheduler()

    /// A scheduled action; pass it to ``cancel(_:)`` when the call ends first.
    package final class Entry: Sendable {
        package let deadline: ContinuousClock.Instant
        package let action: @Sendable () -> Void
        /// The entry's place in the heap, -1 once out of it. Read and written only under the
        /// scheduler's lock, so relaxed ordering suffices: the lock orders the accesses.
        fileprivate let index = Atomic<Int>(-1)

        fileprivate init(deadline: ContinuousClock.Instant, action: @escaping @Sendable () -> Void) {
            self.deadline = deadline
            self.action = action
        }

        fileprivate var position: Int {
            get { index.load(ordering: .relaxed) }
            set { index.store(newValue, ordering: .relaxed) }
        }

        /// Whether the entry still waits in the scheduler: false once it fired or was cancelled.
        /// Its owner reads it under the lock it held when scheduling the entry (the scheduler sets
        /// it under its own lock inside that one, or on its thread before it runs the action).
        package var isScheduled: Bool { position >= 0 }
    }

    private struct State {
        var heap = DeadlineHeap()
        /// When the thread will wake by itself; nil while it sleeps without a timeout (or is not started).
        var plannedWake: ContinuousClock.Instant?
        var threadStarted = false
    }

    private let state = ConditionalState(State())

    package func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> Entry {
        let entry = Entry(deadline: deadline, action: action)
        state.withCondition { held in
            held.state.heap.insert(entry)
            if !held.state.threadStarted {
                held.state.threadStarted = true
                do {
                    try ThreadLauncher.start { [self] in run() }
                } catch {
                    held.state.threadStarted = false   // retried on the next schedule; deadlines still end with the call
                }
            } else if held.state.plannedWake.map({ deadline < $0 }) ?? true {
                held.signal()
            }
        }
        return entry
    }

    /// Removes an entry that has not fired; harmless if it already fired or was cancelled.
    package func cancel(_ entry: Entry) {
        state.withLock { state in
            guard entry.position >= 0 else { return }
            state.heap.remove(at: entry.position)
        }
    }

    private func run() {
        var due: [Entry] = []
        while true {
            state.withCondition { held in
                while true {
                    let now = ContinuousClock.now
                    while let first = held.state.heap.first, first.deadline <= now {
                        held.state.heap.remove(at: 0)
                        due.append(first)
                    }
                    if !due.isEmpty { return }
                    if let first = held.state.heap.first {
                        held.state.plannedWake = first.deadline
                        held.wait(until: first.deadline)
                    } else {
                        held.state.plannedWake = nil
                        held.wait()
                    }
                }
            }
            for entry in due { entry.action() }
            due.removeAll(keepingCapacity: true)
        }
    }
}

/// The scheduler's entries as an indexed binary min-heap on their deadlines; each entry knows its
/// place, so removing one is O(log n). Only used under the scheduler's lock.
private struct DeadlineHeap {
    private var entries: [DeadlineScheduler.Entry] = []

    var first: DeadlineScheduler.Entry? { entries.first }

    mutating func insert(_ entry: DeadlineScheduler.Entry) {
        entry.position = entries.count
        entries.append(entry)
        siftUp(entry.position)
    }

    mutating func remove(at index: Int) {
        let removed = entries[index]
        let last = entries.removeLast()
        removed.position = -1
        guard index < entries.count else { return }
        entries[index] = last
        last.position = index
        siftUp(index)
        siftDown(last.position)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            var smallest = parent
            let left = 2 * parent + 1
            if left < entries.count && entries[left].deadline < entries[smallest].deadline { smallest = left }
            if left + 1 < entries.count && entries[left + 1].deadline < entries[smallest].deadline { smallest = left + 1 }
            guard smallest != parent else { return }
            swapAt(parent, smallest)
            parent = smallest
        }
    }

    private mutating func swapAt(_ first: Int, _ second: Int) {
        entries.swapAt(first, second)
        entries[first].position = first
        entries[second].position = second
    }
}
