import CommandLineKit

/// One named measurement: warm up, then run callers for the measured time and collect samples.
protocol Scenario: Sendable {
    var name: String { get }
    /// Runs for `warmUp` unmeasured, then `duration` measured; returns the measured samples.
    func run(warmUp: Duration, duration: Duration) async throws -> LatencySamples
}

/// What one caller does between two samples.
typealias RoundTrip = @Sendable () async throws -> Void

/// Runs `callers` concurrent loops of `roundTrip` (one per element), timing every call.
func measureConcurrently(callers: [RoundTrip], warmUp: Duration, duration: Duration) async throws -> LatencySamples {
    let clock = ContinuousClock()
    let measureFrom = clock.now + warmUp
    let stopAt = measureFrom + duration
    let samples = try await withThrowingTaskGroup(of: LatencySamples.self) { group in
        for roundTrip in callers {
            group.addTask {
                var samples = LatencySamples(reservingCapacity: 1 << 16)
                while true {
                    let start = clock.now
                    if start >= stopAt { break }
                    try await roundTrip()
                    if start >= measureFrom { samples.record(start.duration(to: clock.now)) }
                }
                return samples
            }
        }
        var all = LatencySamples()
        for try await part in group { all.merge(part) }
        return all
    }
    var result = samples
    let (seconds, attoseconds) = duration.components
    result.elapsedSeconds = Double(seconds) + Double(attoseconds) / 1e18
    return result
}

/// What one blocking caller does between two samples (runs on its own thread).
typealias BlockingRoundTrip = @Sendable () throws -> Void

/// Runs each blocking caller on its own thread (the cooperative pool must not block), timing every call.
func measureOnThreads(callers: [BlockingRoundTrip], warmUp: Duration, duration: Duration) async throws -> LatencySamples {
    try await withThrowingTaskGroup(of: LatencySamples.self) { group in
        let clock = ContinuousClock()
        let measureFrom = clock.now + warmUp
        let stopAt = measureFrom + duration
        for roundTrip in callers {
            group.addTask {
                try await runOnThread {
                    var samples = LatencySamples(reservingCapacity: 1 << 16)
                    while true {
                        let start = clock.now
                        if start >= stopAt { break }
                        try roundTrip()
                        if start >= measureFrom { samples.record(start.duration(to: clock.now)) }
                    }
                    return samples
                }
            }
        }
        var all = LatencySamples()
        for try await part in group { all.merge(part) }
        let (seconds, attoseconds) = duration.components
        all.elapsedSeconds = Double(seconds) + Double(attoseconds) / 1e18
        return all
    }
}
