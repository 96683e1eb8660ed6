import ThreadSync

/// One ``DeadlineScheduler`` entry for all the deadlines of one connection's calls, kept in the
/// connection's call table under its lock: the entry is due at (or before) the earliest deadline of
/// the calls in the table, and its action looks through the table, ends the calls whose deadline
/// passed and moves the entry to the earliest deadline left.
///
/// Why not one entry per call: nearly every call ends long before its deadline, and scheduling and
/// cancelling an entry of its own (the scheduler's lock twice, its heap's sift up and down, the
/// entry and its closure allocated, a weak reference to the call, which gave the call a side
/// table) cost a get at 64 in flight ~4 000 instructions on the server and ~5 000 on the client
/// (callgrind, docs/performance/HISTORY.md "deadline33").
/// Here a call that starts with a deadline no earlier than the entry's (calls with equal timeouts,
/// started one after the other) costs one comparison under the lock its table already takes, and
/// one that ends costs nothing: the entry fires at most once per deadline's length per connection
/// in that steady state, finds the calls ended and moves on. Every deadline is still met on time:
/// the entry is never later than the earliest deadline in the table, and is moved earlier as soon
/// as a call brings an earlier one.
///
/// Deadlines are ``MonotonicClock`` nanoseconds: a server's call reads the clock once for its
/// duration and its deadline both, a client's call once for its deadline and once for what
/// remains of it when its CALL_START is written; `ContinuousClock.now` (~150–200 instructions a
/// read, with its 128-bit arithmetic) is read only when the entry moves.
///
/// Lock order: the owner calls ``include(_:action:)`` and ``fired(next:action:)`` under its table's
/// lock, and these take the scheduler's lock inside it; the scheduler runs actions without its lock
/// held, so the action may take the table's lock.
package struct DeadlineWatch {
    private var entry: DeadlineScheduler.Entry?
    /// The entry's deadline, in ``MonotonicClock`` nanoseconds (meaningless without an entry).
    private var entryDue: UInt64 = 0
    private let scheduler: DeadlineScheduler

    package init(scheduler: DeadlineScheduler = .shared) {
        self.scheduler = scheduler
    }

    /// A call with `deadline` entered the table: the entry moves to it if it is earlier than the
    /// entry's (or there is none). `action` makes the action, only then (its closure is allocated).
    @inline(__always)
    package mutating func include(_ deadline: UInt64, action: () -> @Sendable () -> Void) {
        if entry != nil, entryDue <= deadline { return }
        move(to: deadline, action: action)
    }

    /// The entry's action looked through the table: `next` is the earliest deadline of the calls
    /// left (nil: none), where the entry goes now. Whichever entry is current (this one fired; a
    /// call may have moved it earlier meanwhile) is replaced: `next` counts every call in the table.
    /// Only an entry still scheduled is kept for a `next` equal to its deadline: the one that fired
    /// may have fired before that deadline by the watch's clock (the scheduler's `ContinuousClock`
    /// counts time suspended, `MonotonicClock` does not), and kept, no entry would be left for the
    /// call, nor for any later call whose deadline is no earlier.
    package mutating func fired(next: UInt64?, action: () -> @Sendable () -> Void) {
        if let next {
            if let entry, entry.isScheduled, entryDue == next { return }
            move(to: next, action: action)
        } else {
            stop()
        }
    }

    /// The entry fired: of `calls` (the owner's table, under its lock), those whose deadline
    /// passed, to end now; the entry moves to the earliest deadline of the others (``fired(next:action:)``).
    package mutating func takeCallsPastDeadline<Call>(
        of calls: some Sequence<Call>, deadline: (Call) -> UInt64?, action: () -> @Sendable () -> Void
    ) -> [Call] {
        let now = MonotonicClock.nanoseconds()
        var due: [Call] = []
        var next: UInt64?
        for call in calls {
            guard let callDeadline = deadline(call) else { continue }
            if callDeadline <= now {
                due.append(call)
            } else if next.map({ callDeadline < $0 }) ?? true {
                next = callDeadline
            }
        }
        fired(next: next, action: action)
        return due
    }

    /// The owner is done (its connection closed): the entry goes at once instead of lingering until
    /// it is due.
    package mutating func stop() {
        if let entry { scheduler.cancel(entry) }
        entry = nil
    }

    private mutating func move(to deadline: UInt64, action: () -> @Sendable () -> Void) {
        if let entry { scheduler.cancel(entry) }
        let wait = MonotonicClock.elapsed(from: MonotonicClock.nanoseconds(), to: deadline)
        entry = scheduler.schedule(at: ContinuousClock.now + .nanoseconds(Int64(clamping: wait)), action())
        entryDue = deadline
    }

    /// `start` plus `nanoseconds`, at most the largest value (a client may send a timeout of
    /// centuries): the deadline of a call that started at `start`.
    @inline(__always)
    package static func deadline(after nanoseconds: UInt64, from start: UInt64) -> UInt64 {
        MonotonicClock.later(start, by: nanoseconds)
    }
}
