import Testing
@testable import customer_bench

@Suite struct MeasurementTests {
    private func samples(microseconds: [UInt64]) -> LatencySamples {
        var samples = LatencySamples()
        for value in microseconds { samples.record(.microseconds(value)) }
        return samples
    }

    @Test func percentilesAreNearestRank() {
        let hundred = samples(microseconds: Array(1...100).reversed())
        #expect(hundred.percentilesMicroseconds([0.5, 0.9, 0.99, 0.999, 1.0]) == [50, 90, 99, 100, 100])
        #expect(hundred.percentileMicroseconds(0.01) == 1)
        #expect(samples(microseconds: [7]).percentilesMicroseconds([0.5, 0.999]) == [7, 7])
        #expect(LatencySamples().percentilesMicroseconds([0.5]) == [0])
    }

    @Test func callsPerSecondUsesTheElapsedTime() {
        var measured = samples(microseconds: Array(repeating: 10, count: 300))
        measured.elapsedSeconds = 1.5
        #expect(measured.callsPerSecond == 200)
    }

    @Test func ratiosAreToTheRoundTripPlusStorageFloor() {
        let floor = FloorComparison(barePingPongP50: 40, barePingPongCallsPerSecond: 160_000, storageP50: 5)
        #expect(floor.latencyFloor == 45)
        #expect(floor.latencyRatio(p50: 90) == 2)
        #expect(floor.throughputRatio(callsPerSecond: 96_000) == 0.6)
        let noStorage = FloorComparison(barePingPongP50: 40, barePingPongCallsPerSecond: 0, storageP50: nil)
        #expect(noStorage.latencyRatio(p50: 50) == 1.25)
        #expect(noStorage.throughputRatio(callsPerSecond: 1000) == 0)
    }

    @Test func callCountsAreSharedOutWithoutLoss() {
        let shares = (0..<3).map { PhaseLength.share(of: 10, caller: $0, callers: 3) }
        #expect(shares == [4, 3, 3])
        #expect(shares.reduce(0, +) == 10)
    }

    @Test func procStatCPUTimeIsUserPlusSystemTicks() {
        // Fields after the comm: state(3) ... utime(14)=250, stime(15)=50; the comm holds a ") ".
        let stat = "4242 (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 100 1000 200"
        #expect(CPUTime.parseStat(stat, ticksPerSecond: 100)?.nanoseconds == 3_000_000_000)
        #expect(CPUTime.parseStat("garbage", ticksPerSecond: 100) == nil)
    }

    @Test(arguments: [(0, 1), (127, 1), (128, 2), (16_383, 2), (16_384, 3)])
    func varintLengths(value: Int, length: Int) {
        #expect(FrameSizes.varintLength(value) == length)
    }

    @Test func fixedPointFormatting() {
        #expect(TextFormat.fixed(1.25, 1) == "1.3")
        #expect(TextFormat.fixed(0.05, 2) == "0.05")
        #expect(TextFormat.fixed(-2.5, 0) == "-3")
        #expect(TextFormat.fixed(1234.5678, 2) == "1234.57")
    }
}
