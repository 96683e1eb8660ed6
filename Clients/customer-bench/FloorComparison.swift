/// A scenario beside its floors: how far the service is from what the machine allows.
struct FloorComparison: Equatable {
    /// p50 of the bare ping-pong with one connection, µs.
    var barePingPongP50: Double
    /// Calls/s of the bare ping-pong with one connection per caller.
    var barePingPongCallsPerSecond: Double
    /// p50 of the storage operation the call needs (SQLite read or one-insert transaction), µs;
    /// `nil` for calls that touch no storage (`ping`).
    var storageP50: Double?

    /// What one call at a time cannot go below: a round trip plus the storage operation.
    var latencyFloor: Double { barePingPongP50 + (storageP50 ?? 0) }

    /// p50 over the latency floor (1.0 = at the floor); 0 when the floor was not measured.
    func latencyRatio(p50: Double) -> Double {
        latencyFloor > 0 ? p50 / latencyFloor : 0
    }

    /// Calls/s over the bare ping-pong's (1.0 = as fast as bare sockets); 0 when not measured.
    func throughputRatio(callsPerSecond: Double) -> Double {
        barePingPongCallsPerSecond > 0 ? callsPerSecond / barePingPongCallsPerSecond : 0
    }
}
