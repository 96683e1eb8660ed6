import RPCCore
import Synchronization

/// The counters of one method since the server started: calls by status code and their durations.
///
/// Cost per call: an index computation and two relaxed atomic adds (see ``LatencyHistogram``,
/// ``AtomicCounters``), no lock: every connection thread calling the same method counts here.
/// The instance is created with the method's registration, so finding it costs nothing at the
/// call's end.
final class MethodStatistics: Sendable {
    /// Indexed by `StatusCode.rawValue`: 17 codes (a test checks the count).
    private let callsByStatus = AtomicCounters<17>()
    /// ``LatencyHistogram``'s buckets: 64 (a test checks the count).
    private let durations = AtomicCounters<64>()
    private let maxMicroseconds = Atomic<UInt64>(0)

    func record(_ code: StatusCode, duration: Duration) {
        let microseconds = Self.microseconds(duration)
        callsByStatus.add(at: Int(code.rawValue))
        durations.add(at: LatencyHistogram.bucket(of: microseconds))
        var longest = maxMicroseconds.load(ordering: .relaxed)
        while microseconds > longest {
            let (exchanged, original) = maxMicroseconds.compareExchange(expected: longest, desired: microseconds,
                                                                       ordering: .relaxed)
            if exchanged { break }
            longest = original
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
        let durations = LatencyHistogram(counts: durations.all, maxMicroseconds: maxMicroseconds.load(ordering: .relaxed))
        var statistics = MethodCallStatistics(method: method)
        statistics.calls = durations.total
        statistics.callsByStatus = StatusCount.nonZero(callsByStatus.all)
        statistics.p50Microseconds = durations.percentile(0.50)
        statistics.p90Microseconds = durations.percentile(0.90)
        statistics.p99Microseconds = durations.percentile(0.99)
        statistics.maxMicroseconds = durations.maxMicroseconds
        return statistics
    }
}
