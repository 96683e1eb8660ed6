import RPCClient
import RPCCore
import RPCServing
import RPCTransport
import Testing

/// Durations become the wire's and the system calls' integer counts without trapping.
@Suite struct DurationCountingTests {
    @Test func countsWholeUnitsRoundingDownOrUp() {
        #expect(Duration.milliseconds(1500).saturatingCount(of: .seconds(1)) == 1)
        #expect(Duration.milliseconds(1500).saturatingCount(of: .seconds(1), roundingUp: true) == 2)
        #expect(Duration.nanoseconds(1).saturatingCount(of: .microseconds(1), roundingUp: true) == 1)
        #expect(Duration.seconds(2).saturatingCount(of: .microseconds(1)) == 2_000_000)
    }

    @Test func aNegativeOrZeroDurationCountsZero() {
        #expect(Duration.zero.saturatingCount(of: .milliseconds(1), roundingUp: true) == 0)
        #expect(Duration.milliseconds(-1500).saturatingCount(of: .milliseconds(1), roundingUp: true) == 0)
        #expect(Duration.seconds(Int64.min).saturatingCount(of: .nanoseconds(1)) == 0)
    }

    @Test func aDurationTooLongToCountSaturates() {
        #expect(Duration.seconds(Int64.max).saturatingCount(of: .microseconds(1)) == UInt64.max)
        #expect(Duration.seconds(Int64.max).saturatingCount(of: .nanoseconds(1), roundingUp: true) == UInt64.max)
        #expect(Duration.seconds(Int64.max).saturatingCount(of: .seconds(1)) == UInt64(Int64.max))
    }
}
