import CommandLineKit

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

/// One caller of a measured phase: a task making async calls, or a thread of its own making
/// blocking ones (the blocking client API).
enum LoadCaller: Sendable {
    /// With an executor, the task's loop runs under `withTaskExecutorPreference(executor)`.
    case task(RoundTrip, preferring: (any TaskExecutor)? = nil)
    case thread(BlockingRoundTrip)
}

/// Runs the callers concurrently, first unmeasured for `warmUp`, then measured for `length`.
/// CPU times are read between the phases and after, so the warm-up's work is not counted.
func runLoad(callers: [LoadCaller], warmUp: Duration, length: PhaseLength, serverPID: Int32?) async throws -> LoadResult {
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

private func runPhase(callers: [LoadCaller], length: PhaseLength, record: Bool) async throws -> LatencySamples {
    let clock = ContinuousClock()
    let started = clock.now
    var all = try await withThrowingTaskGroup(of: LatencySamples.self) { group in
        for (index, caller) in callers.enumerated() {
            let turns = PhaseTurns(length: length, started: started, caller: index, callers: callers.count)
            group.addTask {
                switch caller {
                case .task(let roundTrip, let executor):
                    return try await withTaskExecutorPreference(executor) {
                        var samples = LatencySamples(reservingCapacity: record ? 1 << 14 : 0)
                        var turns = turns
                        while let start = turns.next(clock) {
                            try await roundTrip()
                            if record { samples.record(start.duration(to: clock.now)) }
                        }
                        return samples
                    }
                case .thread(let roundTrip):
                    return try await runOnThread {
                        var samples = LatencySamples(reservingCapacity: record ? 1 << 14 : 0)
                        var turns = turns
                        while let start = turns.next(clock) {
                            try roundTrip()
                            if record { samples.record(start.duration(to: clock.now)) }
                        }
                        return samples
                    }
                }
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

/// When one caller of a phase makes its next call: until the phase's time is up, or its share
/// of the phase's calls is made.
private struct PhaseTurns: Sendable {
    let stopAt: ContinuousClock.Instant?
    var callsLeft: Int

    init(length: PhaseLength, started: ContinuousClock.Instant, caller index: Int, callers: Int) {
        switch length {
        case .duration(let duration):
            stopAt = started + duration
            callsLeft = .max
        case .calls(let total):
            stopAt = nil
            callsLeft = PhaseLength.share(of: total, caller: index, callers: callers)
        }
    }

    /// The start of the next call, or nil when the caller is done.
    mutating func next(_ clock: ContinuousClock) -> ContinuousClock.Instant? {
        let now = clock.now
        if let stopAt, now >= stopAt { return nil }
        guard callsLeft > 0 else { return nil }
        callsLeft -= 1
        return now
    }
}
