import ThreadSync

/// Wakes one sleeping thread: ``ring()`` leaves a mark that the next (or current) ``wait()``
/// consumes, so a ring that comes before the wait is not lost. Waiters re-check their own state
/// after waking; the doorbell carries no information of its own.
package final class Doorbell: Sendable {
    private let rung = ConditionalState(false)

    package init() {}

    package func ring() {
        rung.withLock { $0 = true }
        rung.signal()
    }

    package func wait() {
        rung.withCondition { held in
            held.wait(until: { $0 })
            held.state = false
        }
    }
}
