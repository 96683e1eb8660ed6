import RPCCore

/// Wakes one sleeping thread: ``ring()`` leaves a mark that the next (or current) ``wait()``
/// consumes, so a ring that comes before the wait is not lost. Waiters re-check their own state
/// after waking; the doorbell carries no information of its own.
package final class Doorbell: @unchecked Sendable {   // `rung` guarded by `lock`
    private let lock = ConditionLock()
    private var rung = false

    package init() {}

    package func ring() {
        lock.withLock {
            rung = true
            lock.signal()
        }
    }

    package func wait() {
        lock.withLock {
            while !rung { lock.wait() }
            rung = false
        }
    }
}
