import Glibc
import RPCCore
import RPCTransport
import Synchronization
import ThreadSync

/// Promotes a reader for connections whose leader is busy running a unary handler inline.
///
/// The common call is short: its thread reads it, runs it and is back reading long before another
/// call could matter, so waking a follower for it would only cost context switches (measured with
/// `perf stat` on customer-bench: 5.4 instead of 10.5 per lone call). A handler that runs longer than
/// `promotionDelay` gets a follower promoted by this thread once something waits behind it (see
/// ``ServerConnection/hasWorkBehindInlineHandler()``: frames read or arriving, answers held back),
/// so a slow call never holds up the next call on its connection for more than about a
/// millisecond, and a slow call with nothing behind it (a closed-loop caller's write waiting for its
/// group commit) does not wake a follower that would only find nothing to read.
///
/// Per call this costs one atomic store on the connection (``ServerConnection/inlineHandlerSince``):
/// no lock, no allocation. The thread ticks every `tick` while any handler runs inline and sleeps
/// after a quiet spell; the first inline handler after that wakes it (once per burst, not per call).
final class LeadershipWatchdog: Sendable {
    static let shared = LeadershipWatchdog()

    static let tick = Duration.microseconds(500)
    static let promotionDelayNanoseconds: UInt64 = 500_000
    /// Ticks without any inline handler before the thread goes to sleep.
    private static let idleTicksBeforeSleep = 200

    private struct Watched {
        var connections: [ServerConnection] = []
        var threadStarted = false
    }

    private let watched = ConditionalState(Watched())
    private let isSleeping = Atomic<Bool>(true)

    /// Monotonic nanoseconds, never 0 (0 means "no inline handler").
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec) | 1
    }

    /// Watches `connection` until ``remove(_:)``; false if the watchdog thread cannot run (then the
    /// connection never runs handlers inline).
    func add(_ connection: ServerConnection) -> Bool {
        watched.withLock { watched in
            if !watched.threadStarted {
                do {
                    try ThreadLauncher.start { [self] in run() }
                    watched.threadStarted = true
                } catch {
                    return false
                }
            }
            watched.connections.append(connection)
            return true
        }
    }

    func remove(_ connection: ServerConnection) {
        watched.withLock { $0.connections.removeAll { $0 === connection } }
    }

    /// Claims the connection's single inline slot and returns its start, to be given back to
    /// ``handlerEnded(on:since:)``; nil when another handler of the same connection already runs
    /// inline (then the caller hands leadership off as usual).
    /// `framesBehind`: the leader had already read more frames when it started this call.
    func handlerStarted(on connection: ServerConnection, framesBehind: Bool) -> UInt64? {
        let since = Self.now()
        guard connection.inlineHandlerSince.compareExchange(expected: 0, desired: since, ordering: .relaxed).exchanged else {
            return nil
        }
        // A tick reading the previous call's value in between decides one tick early or late: harmless.
        connection.inlineHandlerHasFramesBehind.store(framesBehind, ordering: .relaxed)
        if isSleeping.load(ordering: .relaxed) {
            watched.withLock { _ in isSleeping.store(false, ordering: .relaxed) }
            watched.signal()
        }
        return since
    }

    /// Frees the slot unless the watchdog took it: then it may already belong to the promoted
    /// thread's own inline handler, which must stay watched.
    func handlerEnded(on connection: ServerConnection, since: UInt64) {
        _ = connection.inlineHandlerSince.compareExchange(expected: since, desired: 0, ordering: .relaxed)
    }

    private func run() {
        var idleTicks = 0
        var overdue: [ServerConnection] = []
        while true {
            watched.withCondition { held in
                held.wait(until: .now + Self.tick)
                let now = Self.now()
                var anyInline = false
                for connection in held.state.connections {
                    let since = connection.inlineHandlerSince.load(ordering: .relaxed)
                    guard since != 0 else { continue }
                    anyInline = true
                    // Checked with the lock held: a connection is removed (under it) before its socket
                    // is closed, so the check never polls a descriptor number reused by another one.
                    if now &- since > Self.promotionDelayNanoseconds, connection.hasWorkBehindInlineHandler(),
                       connection.inlineHandlerSince.compareExchange(expected: since, desired: 0, ordering: .relaxed).exchanged {
                        overdue.append(connection)
                    }
                }
                // A promotion below counts as activity: `anyInline` is true whenever `overdue` is not empty.
                idleTicks = anyInline ? 0 : idleTicks + 1
                if idleTicks >= Self.idleTicksBeforeSleep {
                    isSleeping.store(true, ordering: .relaxed)
                    while isSleeping.load(ordering: .relaxed) { held.wait() }
                    idleTicks = 0
                }
            }
            for connection in overdue { connection.promoteReaderIfNeeded() }
            overdue.removeAll(keepingCapacity: true)
        }
    }
}
