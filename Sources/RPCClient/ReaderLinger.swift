/// How long the client's reader thread, out of calls, keeps waiting in poll(2) for the next call's
/// answer before it parks (see ``ClientConnection/readerLinger``): that long after the last read
/// that brought something, not after the first time it ran out of calls.
///
/// Why from the last read: one task calling in a loop on its connection has its next call answered
/// while the thread lingers, and the thread finds it out of calls again once it delivered that
/// answer. Counted from the first time (as it was), the linger ran out 2 ms into any such loop
/// however quickly the calls came: the thread parked, and the loop's next call rang its doorbell
/// (a futex wake, the thread's futex wait and a context switch). `perf record -e
/// syscalls:sys_enter_futex` on `customer-bench run get --connections 16`: 0.18–0.22 rings and as
/// many waits per get, 80–85 % of the client's futex calls (docs/performance/HISTORY.md, "wake9").
struct ReaderLinger {
    let length: Duration
    /// When the linger under way ends; nil while the thread has calls or has just read something.
    private var end: ContinuousClock.Instant?

    init(length: Duration) {
        self.length = length
    }

    /// The thread read something, or has calls in flight: a linger after that starts afresh.
    mutating func restart() {
        end = nil
    }

    /// The time left to wait for input at `now`, the thread being out of calls (the linger starts
    /// now unless under way); nil once it ran out.
    mutating func remaining(at now: ContinuousClock.Instant) -> Duration? {
        let end = self.end ?? now + length
        self.end = end
        return now < end ? now.duration(to: end) : nil
    }
}
