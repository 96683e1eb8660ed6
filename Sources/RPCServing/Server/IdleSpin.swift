import RPCCore
import RPCTransport
import Synchronization
import ThreadSync

/// Lets a connection thread that just answered a call wait for the next request without sleeping,
/// for a moment, while the server has nothing else to do.
///
/// Why: a request that finds its connection's thread asleep in poll(2) pays a wake-up (tens of µs
/// on this VM). A client calling in a loop sends its next request within tens of µs, so the thread
/// checks the socket without blocking first. Only when no handler runs anywhere in the server, the
/// last two handlers to start were this connection's (one client calling in a loop, not many taking
/// turns), and one thread at a time: under load the cores are busy with handlers and a spinner
/// would take CPU from them, so there it does not start, and it stops as soon as a handler starts.
///
/// `customer-bench run ... --no-floor` with the same client, alternating servers in one session,
/// without -> with a 150 µs spin: 1 caller ping p50 55-88 -> 18-24 µs, get 154-182 -> 72-95 µs;
/// 16 connections 9 300-12 400 vs 9 300-12 100 get/s, 64 pipelined 12 600-15 600 vs 11 800-15 400
/// get/s, 64 creating connections 3 880-4 370 vs 3 420-4 780 creates/s: within this VM's noise.
/// 60 µs caught fewer requests (get p50 89-95 µs).
///
/// Why two handlers in a row: with only the last one, 16 clients taking turns on 2 cores made
/// whichever connection answered last spin between their calls, `perf stat` on `customer-bench run
/// ping --connections 16`: 19.6 non-blocking `recv` per call, a core taken from the clients.
final class IdleSpin: Sendable {
    /// Nanoseconds, as every time of the spin (``SpinSchedule``).
    static let budget: UInt64 = 150_000

    private let handlersRunning = Atomic<Int>(0)
    private let spinnerActive = Atomic<Bool>(false)
    /// The connection (its object identity) whose handler started last, with bit 0 set when the
    /// handler before it was the same connection's (objects are aligned: the bit is free).
    private let lastConnection = Atomic<UInt>(0)

    func handlerStarted(on connection: AnyObject) {
        handlersRunning.add(1, ordering: .relaxed)
        let key = Self.key(connection)
        let previous = lastConnection.load(ordering: .relaxed)
        let next = previous & ~1 == key ? key | 1 : key
        // Racing starts may leave either value: a heuristic, and no store while one caller loops.
        if next != previous { lastConnection.store(next, ordering: .relaxed) }
    }

    func handlerEnded() { handlersRunning.subtract(1, ordering: .relaxed) }

    /// Calls `poll` (a non-blocking read: true when it got something, or the end of stream) until it
    /// returns true or the budget passes, when `schedule` says (see ``SpinSchedule``); false if
    /// `connection` may not spin now or nothing came.
    func spin(for connection: AnyObject, _ schedule: inout SpinSchedule, _ poll: () -> Bool) -> Bool {
        guard handlersRunning.load(ordering: .relaxed) == 0,
              lastConnection.load(ordering: .relaxed) == Self.key(connection) | 1,
              spinnerActive.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { spinnerActive.store(false, ordering: .releasing) }
        let start = MonotonicClock.nanoseconds()
        // Reading the clock costs no syscall (the vDSO): the waits between polls are spent in user
        // space, reading it back to back, so the cheap clock (docs/PERFORMANCE.md "serve34").
        return schedule.run(elapsed: { MonotonicClock.elapsed(from: start, to: MonotonicClock.nanoseconds()) },
                            interrupted: { handlersRunning.load(ordering: .relaxed) != 0 }, poll: poll)
    }

    /// The pause between two non-blocking reads, doubling from ``firstGap`` to ``longestGap``, away
    /// from where ``SpinSchedule`` expects the request. Why: a lone caller's next request takes
    /// a while to come (it decodes its answer first), and polling back to back made 20–35 `recvfrom`
    /// per get on the VM of the time (docs/performance/HISTORY.md, "clientbell"); the gaps alone cost up to
    /// ``longestGap`` more latency, which the schedule's back-to-back polls take back (get20).
    static let firstGap: UInt64 = 2_000
    static let longestGap: UInt64 = 8_000

    private static func key(_ connection: AnyObject) -> UInt {
        UInt(bitPattern: ObjectIdentifier(connection))
    }
}
