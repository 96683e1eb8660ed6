import Glibc
import Testing
import ThreadSync

/// The one clock read of the server's per-call timing: its conversion at the edges never traps.
@Suite struct MonotonicClockTests {
    @Test func aTimespecBecomesNanosecondsWithoutTrappingAtEitherEnd() {
        #expect(MonotonicClock.nanoseconds(of: timespec(tv_sec: 0, tv_nsec: 0)) == 0)
        #expect(MonotonicClock.nanoseconds(of: timespec(tv_sec: 1, tv_nsec: 999_999_999)) == 1_999_999_999)
        #expect(MonotonicClock.nanoseconds(of: timespec(tv_sec: -1, tv_nsec: 0)) == 0)
        #expect(MonotonicClock.nanoseconds(of: timespec(tv_sec: 0, tv_nsec: -1)) == 0)
        // The largest seconds that fit, then one more: the sum, then the product, overflows.
        let lastSecond = Int(UInt64.max / 1_000_000_000)
        #expect(MonotonicClock.nanoseconds(of: timespec(tv_sec: lastSecond, tv_nsec: 0))
                == UInt64(lastSecond) * 1_000_000_000)
        #expect(MonotonicClock.nanoseconds(of: timespec(tv_sec: lastSecond, tv_nsec: 999_999_999)) == .max)
        #expect(MonotonicClock.nanoseconds(of: timespec(tv_sec: lastSecond + 1, tv_nsec: 0)) == .max)
        #expect(MonotonicClock.nanoseconds(of: timespec(tv_sec: .max, tv_nsec: .max)) == .max)
    }

    @Test func elapsedTimeIsNeverNegative() {
        #expect(MonotonicClock.elapsed(from: 5, to: 12) == 7)
        #expect(MonotonicClock.elapsed(from: 12, to: 12) == 0)
        #expect(MonotonicClock.elapsed(from: 12, to: 5) == 0)
        #expect(MonotonicClock.elapsed(from: 0, to: .max) == .max)
    }

    /// The same clock as `clock_gettime(CLOCK_MONOTONIC)` (what the watchdog sleeps by), and it does not go back.
    @Test func readsFollowTheMonotonicClockInOrder() {
        var before = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        let first = MonotonicClock.nanoseconds()
        let second = MonotonicClock.nanoseconds()
        var after = timespec()
        clock_gettime(CLOCK_MONOTONIC, &after)
        #expect(MonotonicClock.nanoseconds(of: before) <= first)
        #expect(first <= second)
        #expect(second <= MonotonicClock.nanoseconds(of: after))
    }
}
