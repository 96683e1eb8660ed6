import RPCCore
import Synchronization

/// The counters of one method since the server started: calls by status code and their durations.
///
/// Cost per call: one uncontended lock, an index computation and three increments (see
/// ``LatencyHistogram``); calls of different methods never share a lock. The instance is created
/// with the method's registration, so finding it costs nothing at the call's end.
final class MethodStatistics: Sendable {
    private struct Counters: ~Copyable {
        /// Indexed by `StatusCode.rawValue`.
        var callsByStatus = [UInt64](repeating: 0, count: StatusCode.allCases.count)
        var durations = LatencyHistogram()
    }

    private let counters = Mutex(Counters())

    func record(_ code: StatusCode, duration: Duration) {
        let microseconds = Self.microseconds(duration)
        counters.withLock {
            $0.callsByStatus[Int(code.rawValue)] += 1
            $0.durations.record(microseconds: microseconds)
        }
    }

    /// Whole microseconds of a call's duration (0 for a negative one), from the duration's two
    /// 64-bit components: cheaper on every call than `saturatingCount`'s 128-bit division.
    static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000)
        return overflow ? .max : whole &+ UInt64(attoseconds / 1_000_000_000_000)
    }

    /// What the server-info service reports for this method.
    func snapshot(method: String) -> MethodCallStatistics {
        let (byStatus, durations) = counters.withLock { ($0.callsByStatus, $0.durations) }
        var statistics = MethodCallStatistics(method: method)
        statistics.calls = durations.total
        statistics.callsByStatus = StatusCount.nonZero(byStatus)
        statistics.p50Microseconds = durations.percentile(0.50)
        statistics.p90Microseconds = durations.percentile(0.90)
        statistics.p99Microseconds = durations.percentile(0.99)
        statistics.maxMicroseconds = durations.maxMicroseconds
        return statistics
    }
}
