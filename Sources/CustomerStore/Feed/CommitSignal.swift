import ThreadSync

/// Tells change-feed watchers that a write committed, so the live part of a watch waits on a
/// condition instead of polling the database.
///
/// A count of commits under a condition: a watcher notes the count, reads the feed, and then waits
/// only while the count is still the one it noted, so a commit between its read and its wait is
/// never missed. A write pays one lock and, only when someone waits, one broadcast.
///
public final class CommitSignal: Sendable {
    private struct State {
        var commits: UInt64 = 0
        var waiters = 0
        var isClosed = false
    }

    private let state = ConditionalState(State())

    init() {}

    /// How many writes have committed since the store opened.
    public var count: UInt64 { state.withLock { $0.commits } }

    /// Called after a COMMIT (or a write's return, which comes after it).
    func committed() {
        state.withCondition { held in
            held.state.commits &+= 1
            if held.state.waiters > 0 { held.broadcast() }
        }
    }

    /// Blocks the calling thread (never a pool thread: a handler's own connection thread) until
    /// the count passes `seen`, `stop` returns true, or the store closes.
    ///
    /// `stop` is checked on every wake-up; whoever makes it true must call ``wakeAll()``.
    public func wait(after seen: UInt64, unless stop: () -> Bool) {
        state.withCondition { held in
            held.state.waiters += 1
            defer { held.state.waiters -= 1 }
            while held.state.commits == seen, !held.state.isClosed, !stop() {
                held.wait()
            }
        }
    }

    /// Wakes every waiter so it checks its `stop` (e.g. its call was cancelled).
    public func wakeAll() {
        // Taking the lock orders this after a waiter's check of `stop`: it either saw the change or waits already.
        state.withCondition { $0.broadcast() }
    }

    /// Wakes every waiter for good: the store is closing.
    func close() {
        state.withLock { $0.isClosed = true }
        state.broadcast()
    }
}
