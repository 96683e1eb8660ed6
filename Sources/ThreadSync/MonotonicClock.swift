import Glibc

/// The time as one `clock_gettime(CLOCK_MONOTONIC)` into nanoseconds: the server's per-call time
/// reads (a call's duration, the watchdog's inline handlers, the database files' look interval).
///
/// Why not `ContinuousClock.now`: on Linux it goes through `swift_get_time` and builds an
/// `Instant` of 128-bit attoseconds, and a duration between two of them is `_Int128` arithmetic,
/// ~150–200 instructions a read where this is ~40 (callgrind of a get, docs/performance/HISTORY.md "get27").
/// Deadlines stay `ContinuousClock.Instant`s: they are public and scheduled by that clock.
package enum MonotonicClock {
    /// Nanoseconds since an unspecified start (the machine's boot), never going back: 2^64 of them
    /// are 584 years of uptime, so the value does not wrap.
    @inline(__always)
    package static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Self.nanoseconds(of: time)
    }

    /// `time` in nanoseconds: 0 for a negative one (the monotonic clock never gives one), the
    /// largest value for one beyond it, never a trap.
    package static func nanoseconds(of time: timespec) -> UInt64 {
        guard time.tv_sec >= 0, time.tv_nsec >= 0 else { return 0 }
        let (whole, overflow) = UInt64(time.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carry) = whole.addingReportingOverflow(UInt64(time.tv_nsec))
        return overflow || carry ? .max : total
    }

    /// `nanoseconds` after `start`, at most the largest value (a client may send a timeout of
    /// centuries; a clock that went wrong ends a spin): never a trap.
    @inline(__always)
    package static func later(_ start: UInt64, by nanoseconds: UInt64) -> UInt64 {
        let (sum, overflow) = start.addingReportingOverflow(nanoseconds)
        return overflow ? .max : sum
    }

    /// Nanoseconds from `start` to `end` (two ``nanoseconds()``), 0 if `end` is not after it.
    @inline(__always)
    package static func elapsed(from start: UInt64, to end: UInt64) -> UInt64 {
        end > start ? end &- start : 0
    }
}
