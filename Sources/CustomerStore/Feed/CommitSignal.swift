import Foundation

/// Tells change-feed watchers that a write committed, so the live part of a watch waits on a
/// condition instead of polling the database.
///
/// A count of commits under a condition: a watcher notes the count, reads the feed, and then waits
/// only while the count is still the one it noted, so a commit between its read and its wait is
/// never missed. A write pays one lock and, only when someone waits, one broadcast.
///
/// Safety of `@unchecked Sendable`: `commits`, `waiters` and `isClosed` are read and written only
/// while `condition` is locked.
public final class CommitSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var commits: UInt64 = 0
    private var waiters = 0
    private var isClosed = false

    init() {}

    /// How many writes have committed since the store opened.
    public var count: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return commits
    }

    /// Called after a COMMIT (or a write's return, which comes after it).
    func committed() {
        condition.lock()
        commits &+= 1
        if waiters > 0 { condition.broadcast() }
        condition.unlock()
    }

    /// Blocks the calling thread (never a pool thread: a handler's own connection thread) until
    /// the count passes `seen`, `stop` returns true, or the store closes.
    ///
    /// `stop` is checked on every wake-up; whoever makes it true must call ``wakeAll()``.
    public func wait(after seen: UInt64, unless stop: () -> Bool) {
        condition.lock()
        defer { condition.unlock() }
        waiters += 1
        defer { waiters -= 1 }
        while commits == seen, !isClosed, !stop() {
            condition.wait()
        }
    }

    /// Wakes every waiter so it checks its `stop` (e.g. its call was cancelled).
    public func wakeAll() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes every waiter for good: the store is closing.
    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }
}
