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
/// ``ServerConnection/hasHeldWorkBehindInlineHandler()``: frames read or arriving, answers held back;
/// the sockets of all such handlers are asked for arriving input in one poll),
/// so a slow call never holds up the next call on its connection for more than about a
/// millisecond, and a slow call with nothing behind it (a closed-loop caller's write waiting for its
/// group commit) does not wake a follower that would only find nothing to read.
///
/// Per call this costs two atomic operations on the connection (``ServerConnection/inlineHandlerSince``):
/// no lock, no allocation, no wake-up. The thread does not tick: it sleeps until the promotion time
/// of the oldest inline handler it saw, rechecks a handler past that time every `recheck` while it
/// runs, and, once no handler has run inline for 10 ms, sleeps without a timeout; only a handler
/// that starts while it sleeps so wakes it (once per burst, not per call). A handler that starts
/// during a timed sleep needs no wake-up: it started after that sleep's scan, so its promotion time
/// is later than the sleep's end; timed sleeps are `clock_nanosleep`, which takes no lock. While
/// some connection always runs a handler inline (many busy callers) the thread still wakes up to
/// once per `recheck` (≤ 2 000 a second, whatever the call rate), one syscall each. (It used to
/// tick every 0.5 ms while handlers ran and for 100 ms after, whether or not any handler came
/// near its promotion time.)
final class LeadershipWatchdog: Sendable {
    static let shared = LeadershipWatchdog()

    /// How often a handler past its promotion time, with nothing behind it yet, is looked at again,
    /// and the shortest sleep. Not above `promotionDelayNanoseconds`: a handler that starts during a
    /// sleep must reach its promotion time only after the sleep ends (it wakes nobody).
    static let recheckNanoseconds: UInt64 = 500_000
    static let promotionDelayNanoseconds: UInt64 = 500_000
    /// Scans without an inline handler before the thread sleeps without a timeout (10 ms): a caller
    /// calling in a loop with gaps between its calls would otherwise wake it with a futex(2) on
    /// about every other call (`perf stat`, `customer-bench run get`, 1 caller: 1.0 futex per call
    /// instead of 0.6 with the old tick).
    private static let quietScansBeforeSleep = 20

    private struct Watched {
        var connections: [ServerConnection] = []
        var threadStarted = false
    }

    private let watched = ConditionalState(Watched())
    private let isSleeping = Atomic<Bool>(true)

    /// Monotonic nanoseconds, never 0 (0 means "no inline handler").
    static func now() -> UInt64 {
        MonotonicClock.nanoseconds() | 1
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
        guard connection.inlineHandlerSince.compareExchange(expected: 0, desired: since,
                                                            ordering: .sequentiallyConsistent).exchanged else {
            return nil
        }
        // A scan reading the previous call's value in between decides one recheck early or late: harmless.
        connection.inlineHandlerHasFramesBehind.store(framesBehind, ordering: .relaxed)
        // Sequentially consistent with the compare-exchange above and the watchdog's store-then-scan
        // (``sleepUnlessInline(_:)``): either it sees this handler or this load sees it asleep.
        if isSleeping.load(ordering: .sequentiallyConsistent) {
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
        var overdue: [ServerConnection] = []
        var asking = SocketsToAsk()
        var quietScans = 0
        while true {
            let now = Self.now()
            let wake = watched.withLock { scan($0.connections, now: now, overdue: &overdue, asking: &asking) }
            if !overdue.isEmpty {
                for connection in overdue { connection.promoteReaderIfNeeded() }
                overdue.removeAll(keepingCapacity: true)
                continue
            }
            quietScans = wake == nil ? quietScans + 1 : 0
            if let wake {
                // At most one wake-up per `recheck`: with many connections, waking at each
                // handler's own promotion time woke the thread several times per recheck
                // (`perf stat`: 2.8 futex and 5.6 poll per ping at 16 connections instead of
                // 1.8 and 2.2 with the tick).
                Self.sleep(until: max(wake, now &+ Self.recheckNanoseconds))
            } else if quietScans < Self.quietScansBeforeSleep {
                Self.sleep(until: now &+ Self.recheckNanoseconds)
            } else {
                watched.withCondition { sleepUnlessInline($0) }
            }
        }
    }

    /// Looks at every inline handler (with the lock held: a connection is removed under it before
    /// its socket is closed, so `asking` never polls a descriptor number reused by another one);
    /// appends those to promote to `overdue` and returns when to look again: the earliest promotion
    /// time still ahead, or a recheck of a handler past it; nil while no handler runs inline.
    ///
    /// The sockets of the handlers past their promotion time with nothing held behind them are
    /// asked for input in one poll (`InputPoll`), not one each: at 64 callers creating customers
    /// nearly every connection's handler waits for its group commit past that time, and a poll per
    /// connection per recheck was ~11 of the ~25 system calls per create (docs/performance/HISTORY.md, "create13").
    private func scan(_ connections: [ServerConnection], now: UInt64, overdue: inout [ServerConnection],
                      asking: inout SocketsToAsk) -> UInt64? {
        var wake: UInt64?
        func promoteOrRecheck(_ connection: ServerConnection, since: UInt64, hasWorkBehind: Bool) {
            if hasWorkBehind,
               connection.inlineHandlerSince.compareExchange(expected: since, desired: 0, ordering: .relaxed).exchanged {
                overdue.append(connection)
            } else {
                let recheck = now &+ Self.recheckNanoseconds
                wake = min(wake ?? recheck, recheck)
            }
        }
        for connection in connections {
            let since = connection.inlineHandlerSince.load(ordering: .relaxed)
            guard since != 0 else { continue }
            let promotion = since &+ Self.promotionDelayNanoseconds
            guard now >= promotion else {
                wake = min(wake ?? promotion, promotion)
                continue
            }
            if connection.hasHeldWorkBehindInlineHandler() {
                promoteOrRecheck(connection, since: since, hasWorkBehind: true)
            } else if let fd = connection.socket.pollDescriptor {
                _ = asking.poll.append(fd)
                asking.handlers.append((connection, since))
            } else {
                promoteOrRecheck(connection, since: since, hasWorkBehind: connection.socket.hasInput())
            }
        }
        if !asking.poll.isEmpty {
            asking.poll.ask()
            for (index, handler) in asking.handlers.enumerated() {
                promoteOrRecheck(handler.connection, since: handler.since, hasWorkBehind: asking.poll.hasInput(at: index))
            }
            asking.poll.removeAll()
            asking.handlers.removeAll(keepingCapacity: true)
        }
        return wake
    }

    /// The handlers whose sockets one scan asks for input, in the order of their descriptors in
    /// `poll`; kept by the watchdog thread from scan to scan so a recheck allocates nothing.
    private struct SocketsToAsk {
        var poll = InputPoll()
        var handlers: [(connection: ServerConnection, since: UInt64)] = []
    }

    /// A timed sleep that nobody needs to cut short (a handler starting during it reaches its
    /// promotion time only after it ends), so a plain `clock_nanosleep` rather than a timed wait
    /// on the condition: that one cost two futex calls per wake-up (the wait, then the wake glibc
    /// makes when the lock it took back on waking is released, since it takes it back marked
    /// contended), ~0.55 futex per get at 16 connections (`perf record -e
    /// syscalls:sys_enter_futex`), where this costs one `clock_nanosleep`. An early return (a
    /// signal) only rescans sooner.
    private static func sleep(until deadline: UInt64) {
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        _ = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil)
    }

    /// Sleeps until a handler starts inline, unless one already did after the scan that found none.
    private func sleepUnlessInline(_ held: ConditionalState<Watched>.Held) {
        isSleeping.store(true, ordering: .sequentiallyConsistent)
        for connection in held.state.connections
        where connection.inlineHandlerSince.load(ordering: .sequentiallyConsistent) != 0 {
            isSleeping.store(false, ordering: .relaxed)
            return
        }
        while isSleeping.load(ordering: .relaxed) { held.wait() }
    }
}
