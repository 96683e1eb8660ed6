/// Round-trip times of one scenario, in nanoseconds, and what is derived from them.
struct LatencySamples: Sendable {
    private(set) var nanoseconds: [UInt64] = []
    var elapsedSeconds = 0.0

    init(reservingCapacity capacity: Int = 0) {
        nanoseconds.reserveCapacity(capacity)
    }

    mutating func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        nanoseconds.append(UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
    }

    mutating func merge(_ other: LatencySamples) {
        nanoseconds.append(contentsOf: other.nanoseconds)
    }

    var count: Int { nanoseconds.count }

    var callsPerSecond: Double { elapsedSeconds > 0 ? Double(count) / elapsedSeconds : 0 }

    /// The `fraction` quantile (0.5 = median) in microseconds, nearest-rank.
    func percentileMicroseconds(_ fraction: Double) -> Double {
        percentilesMicroseconds([fraction])[0]
    }

    /// Several quantiles from one sort, in microseconds, nearest-rank: the smallest sample with at
    /// least `fraction` of all samples at or below it. 0 for each when there is no sample.
    func percentilesMicroseconds(_ fractions: [Double]) -> [Double] {
        guard !nanoseconds.isEmpty else { return fractions.map { _ in 0 } }
        let sorted = nanoseconds.sorted()
        return fractions.map { fraction in
            let rank = min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[rank]) / 1000
        }
    }
}
