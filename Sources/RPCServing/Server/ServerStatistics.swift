import RPCCore
import RPCTransport
import Synchronization

/// Connection and call counters of one server, read by the server-info service. Counted with
/// atomics, no lock (see ``AtomicCounters``).
final class ServerStatistics: Sendable {
    struct Snapshot: Sendable {
        var connectionsCurrent: UInt64 = 0
        var connectionsTotal: UInt64 = 0
        /// Indexed by `StatusCode.rawValue`.
        var callsByStatus = [UInt64](repeating: 0, count: StatusCode.allCases.count)
    }

    /// Indexed by `StatusCode.rawValue`: 17 codes, 0...16 (a test checks the count).
    private let callsByStatus = AtomicCounters<17>()
    private let connectionsCurrent = Atomic<UInt64>(0)
    private let connectionsTotal = Atomic<UInt64>(0)
    private let inFlight = Atomic<Int>(0)
    let startedAt = ContinuousClock.now
    /// The connections' outgoing queues (PROTOCOL.md, "Limits": queued bytes).
    let writeQueue = WriteQueueStatistics()

    var snapshot: Snapshot {
        Snapshot(connectionsCurrent: connectionsCurrent.load(ordering: .relaxed),
                 connectionsTotal: connectionsTotal.load(ordering: .relaxed),
                 callsByStatus: callsByStatus.all)
    }

    func connectionOpened() {
        connectionsTotal.wrappingAdd(1, ordering: .relaxed)
        connectionsCurrent.wrappingAdd(1, ordering: .relaxed)
    }

    func connectionClosed() {
        connectionsCurrent.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Counts a call that never started (unknown method, limits) or one that ended: see `callLeftFlight`.
    func callEnded(_ code: StatusCode) {
        callsByStatus.add(at: Int(code.rawValue))
    }

    /// Calls admitted and not yet ended, on all connections.
    var callsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// A call was admitted to its connection's table of calls in flight.
    func callStarted() { inFlight.add(1, ordering: .relaxed) }

    /// An admitted call ended (it is counted by status with `callEnded` too).
    func callLeftFlight() { inFlight.subtract(1, ordering: .relaxed) }
}
