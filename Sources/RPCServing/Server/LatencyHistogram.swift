/// Call durations counted in fixed buckets: four per power of two of microseconds, so recording
/// is an index computation and an increment (no allocation, no sorting), and a percentile read
/// back is the upper bound of its bucket: never below the true value, at most 25 % above it.
///
/// Why fixed buckets: the server-info service reports percentiles since start for every method,
/// and a call must pay next to nothing for that (see ``MethodStatistics``).
struct LatencyHistogram: Sendable, Equatable {
    /// Buckets 0...3 hold 0...3 µs; then four per power of two up to 2^17 µs (about 131 s); the
    /// last also holds everything longer.
    static let bucketCount = 4 + 4 * 15

    private(set) var counts = [UInt64](repeating: 0, count: bucketCount)
    private(set) var total: UInt64 = 0
    private(set) var maxMicroseconds: UInt64 = 0

    init() {}

    /// A histogram of counts kept elsewhere (``MethodStatistics`` counts with atomics); `counts`
    /// has ``bucketCount`` entries.
    init(counts: [UInt64], maxMicroseconds: UInt64) {
        self.counts = counts
        total = counts.reduce(0, &+)
        self.maxMicroseconds = maxMicroseconds
    }

    mutating func record(microseconds: UInt64) {
        counts[Self.bucket(of: microseconds)] += 1
        total += 1
        if microseconds > maxMicroseconds { maxMicroseconds = microseconds }
    }

    /// The bucket of `microseconds`: its power of two and the next two bits below the top one.
    static func bucket(of microseconds: UInt64) -> Int {
        guard microseconds >= 4 else { return Int(microseconds) }
        let exponent = 63 - microseconds.leadingZeroBitCount   // >= 2
        let quarter = Int((microseconds >> UInt64(exponent - 2)) & 3)
        return min(4 + (exponent - 2) * 4 + quarter, bucketCount - 1)
    }

    /// The largest duration bucket `index` holds.
    static func upperBound(ofBucket index: Int) -> UInt64 {
        guard index >= 4 else { return UInt64(index) }
        let exponent = (index - 4) / 4 + 2
        let quarter = UInt64((index - 4) % 4)
        return ((4 + quarter + 1) << UInt64(exponent - 2)) - 1
    }

    /// The duration at or below which `fraction` (0...1) of the calls ended, in microseconds
    /// (0 when none were recorded); never more than the longest call.
    func percentile(_ fraction: Double) -> UInt64 {
        guard total > 0 else { return 0 }
        let rank = max(1, UInt64((Double(total) * fraction).rounded(.up)))
        var seen: UInt64 = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return min(Self.upperBound(ofBucket: index), maxMicroseconds) }
        }
        return maxMicroseconds
    }
}
