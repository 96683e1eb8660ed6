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

    /// Counts a call that ended with `code` after `nanoseconds` (``MonotonicClock``).
    func record(_ code: StatusCode, nanoseconds: UInt64) {
        let microseconds = nanoseconds / 1_000
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
