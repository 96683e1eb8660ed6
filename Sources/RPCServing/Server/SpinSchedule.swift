import ThreadSync

/// When the idle spin (``IdleSpin``) of one connection polls its socket: spaced out by doubling
/// gaps, except around the moment its previous request came, counted from its spin's start, where
/// it polls back to back.
///
/// Why: a client calling in a loop sends its next request about the same time after each answer
/// (it reads the answer, decodes it, encodes the next call). With gaps alone (2, 4, then 8 µs) the
/// request waited for the next poll: up to 8 µs on a get of ~14 µs, half the gap on average. The
/// gaps stay elsewhere, for what they were for (``IdleSpin/firstGap``): few `recv(2)` while nothing
/// can come yet.
///
/// Leader-owned, like the rest of the connection's reading state: one value per connection, used by
/// one thread at a time.
///
/// Times are nanoseconds from the spin's start (``MonotonicClock``), not `Duration`s: the spin reads
/// its clock back to back between polls, and `ContinuousClock.now` with `Duration` arithmetic cost
/// ~150–200 instructions a read against ~40 (docs/PERFORMANCE.md "serve34").
struct SpinSchedule {
    /// How early before the expected arrival the back-to-back polls start, and how long after it
    /// they go on before the gaps resume: room for the arrival to move from call to call (an
    /// earlier one is found at the window's first poll, and the expectation moves to it), at the
    /// cost of a few `recv` where the thread spins anyway.
    static let leadTime: UInt64 = 1_000
    static let window: UInt64 = 3_000

    /// When the previous request came, counted from its spin's start: the middle of the last gap
    /// with nothing before the poll that found it. Nil when no spin caught one (the first, or a
    /// spin that ran out: the client is not calling in a loop, or not now).
    private(set) var expected: UInt64?

    /// Polls until `poll` returns true (true), the spin's budget (``IdleSpin/budget``) passes or
    /// `interrupted` (checked while it waits between polls) returns true (false); `elapsed` is the
    /// time since the spin started, in nanoseconds.
    mutating func run(elapsed: () -> UInt64, interrupted: () -> Bool, poll: () -> Bool) -> Bool {
        var polledAt = elapsed()
        var previous: UInt64?
        var gap = IdleSpin.firstGap
        while true {
            if poll() {
                caught(at: polledAt, previous: previous)
                return true
            }
            let next: UInt64
            (next, gap) = nextPoll(after: polledAt, gap: gap)
            guard next < IdleSpin.budget else {
                missed()
                return false
            }
            var now = elapsed()
            while now < next {
                if interrupted() { return false }
                now = elapsed()
            }
            previous = polledAt
            polledAt = now
        }
    }

    /// Where the poll after one at `elapsed` (counted from the spin's start) comes, `gap` being the
    /// current doubling gap; returns the time of that poll and the gap to use after it.
    private func nextPoll(after elapsed: UInt64, gap: UInt64) -> (at: UInt64, gap: UInt64) {
        if let expected {
            let start = expected > Self.leadTime ? expected - Self.leadTime : 0
            let end = MonotonicClock.later(expected, by: Self.window)
            if elapsed >= start && elapsed < end { return (elapsed, IdleSpin.firstGap) }
            if elapsed < start { return (min(MonotonicClock.later(elapsed, by: gap), start), min(gap * 2, IdleSpin.longestGap)) }
        }
        return (MonotonicClock.later(elapsed, by: gap), min(gap * 2, IdleSpin.longestGap))
    }

    /// A poll at `found` got the request; the one before it, at `previous`, had nothing. The
    /// spin's first poll (nothing before it) learns nothing: the request was there before the spin.
    private mutating func caught(at found: UInt64, previous: UInt64?) {
        guard let previous, found >= previous else { return missed() }
        expected = previous + (found - previous) / 2
    }

    /// The spin ran out without a request.
    private mutating func missed() {
        expected = nil
    }
}
