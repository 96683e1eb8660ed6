/// Promotes a reader for connections whose only reader is busy running a unary handler inline.
///
/// The common call is short: its thread reads it, runs it and is back reading long before another
/// call could matter, so waking a follower for it would only burn the ~20 µs a wake-up costs here.
/// A handler that runs longer than `promotionDelay` gets a follower promoted by this thread, so a slow
/// call still never holds up the next call on its connection for more than about a millisecond.
/// The thread ticks every `tick` while handlers run inline and sleeps otherwise; registering a
/// handler signals it only when it sleeps (once per burst, not once per call).
final class LeadershipWatchdog: @unchecked Sendable {   // all mutable state guarded by `lock`
    static let shared = LeadershipWatchdog()

    static let tick = Duration.microseconds(500)
    static let promotionDelay = Duration.microseconds(500)
    /// Ticks without any inline handler before the thread goes to sleep.
    private static let idleTicksBeforeSleep = 200

    private let lock = ConditionLock()
    private var running: [UInt64: (connection: ServerConnection, since: ContinuousClock.Instant)] = [:]
    private var nextID: UInt64 = 0
    private var isSleeping = true
    private var threadStarted = false

    /// Called by a leader that keeps the reader role vacant while it runs a handler; returns the
    /// registration to end, or nil when no watchdog can be provided (then the caller must hand off
    /// leadership itself).
    func handlerStarted(on connection: ServerConnection) -> UInt64? {
        lock.lock()
        defer { lock.unlock() }
        if !threadStarted {
            do {
                try ThreadLauncher.start { [self] in run() }
                threadStarted = true
            } catch {
                return nil
            }
        }
        nextID += 1
        running[nextID] = (connection, .now)
        if isSleeping {
            isSleeping = false
            lock.signal()
        }
        return nextID
    }

    func handlerEnded(_ registration: UInt64) {
        lock.withLock { _ = running.removeValue(forKey: registration) }
    }

    private func run() {
        var idleTicks = 0
        lock.lock()
        while true {
            if running.isEmpty {
                idleTicks += 1
                if idleTicks >= Self.idleTicksBeforeSleep {
                    isSleeping = true
                    while isSleeping { lock.wait() }
                    idleTicks = 0
                    continue
                }
            } else {
                idleTicks = 0
            }
            _ = lock.wait(until: .now + Self.tick)
            let overdue = ContinuousClock.now - Self.promotionDelay
            let late = running.filter { $0.value.since <= overdue }
            for key in late.keys { running[key] = nil }
            if late.isEmpty { continue }
            lock.unlock()
            for entry in late.values { entry.connection.promoteReaderIfNeeded() }
            lock.lock()
        }
    }
}
