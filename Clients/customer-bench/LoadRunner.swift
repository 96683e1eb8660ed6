/// When a measured phase ends: after a time, or after a number of calls spread over the callers.
enum PhaseLength: Sendable, Equatable {
    case duration(Duration)
    case calls(Int)

    /// Calls caller `index` of `callers` makes: the remainder goes to the first ones.
    static func share(of calls: Int, caller index: Int, callers: Int) -> Int {
        calls / callers + (index < calls % callers ? 1 : 0)
    }
}

/// What a measured phase found: the latencies, and the CPU both sides spent meanwhile.
struct LoadResult: Sendable {
    var samples: LatencySamples
    var clientCPUNanoseconds: UInt64
    /// `nil` when the server's /proc entry could not be read.
    var serverCPUNanoseconds: UInt64?
    var serverRSSBytes: UInt64?

    func cpuMicrosecondsPerCall(_ nanoseconds: UInt64?) -> Double? {
        guard let nanoseconds, samples.count > 0 else { return nil }
        return Double(nanoseconds) / 1000 / Double(samples.count)
    }
}

/// Runs the callers concurrently, first unmeasured for `warmUp`, then measured for `length`.
/// CPU times are read between the phases and after, so the warm-up's work is not counted.
func runLoad(callers: [RoundTrip], warmUp: Duration, length: PhaseLength, serverPID: Int32?) async throws -> LoadResult {
    if warmUp > .zero {
        _ = try await runPhase(callers: callers, length: .duration(warmUp), record: false)
    }
    let clientBefore = CPUTime.ofThisProcess()
    let serverBefore = serverPID.flatMap(CPUTime.ofProcess)
    let samples = try await runPhase(callers: callers, length: length, record: true)
    let clientAfter = CPUTime.ofThisProcess()
    let serverAfter = serverPID.flatMap(CPUTime.ofProcess)
    var serverCPU: UInt64?
    if let serverBefore, let serverAfter { serverCPU = serverAfter.nanoseconds - serverBefore.nanoseconds }
    return LoadResult(samples: samples, clientCPUNanoseconds: clientAfter.nanoseconds - clientBefore.nanoseconds,
                      serverCPUNanoseconds: serverCPU, serverRSSBytes: serverPID.flatMap(residentBytes(ofProcess:)))
}

private func runPhase(callers: [RoundTrip], length: PhaseLength, record: Bool) async throws -> LatencySamples {
    let clock = ContinuousClock()
    let started = clock.now
    var all = try await withThrowingTaskGroup(of: LatencySamples.self) { group in
        for (index, roundTrip) in callers.enumerated() {
            group.addTask {
                var samples = LatencySamples(reservingCapacity: record ? 1 << 14 : 0)
                switch length {
                case .duration(let duration):
                    let stopAt = started + duration
                    while true {
                        let start = clock.now
                        if start >= stopAt { break }
                        try await roundTrip()
                        if record { samples.record(start.duration(to: clock.now)) }
                    }
                case .calls(let total):
                    for _ in 0..<PhaseLength.share(of: total, caller: index, callers: callers.count) {
                        let start = clock.now
                        try await roundTrip()
                        if record { samples.record(start.duration(to: clock.now)) }
                    }
                }
                return samples
            }
        }
        var all = LatencySamples()
        for try await part in group { all.merge(part) }
        return all
    }
    let (seconds, attoseconds) = (clock.now - started).components
    all.elapsedSeconds = Double(seconds) + Double(attoseconds) / 1e18
    return all
}
