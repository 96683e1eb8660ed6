import RPCCore
import RPCTransport
import Synchronization

/// Connection and call counters of one server, read by the server-info service.
final class ServerStatistics: Sendable {
    struct Snapshot: Sendable {
        var connectionsCurrent: UInt64 = 0
        var connectionsTotal: UInt64 = 0
        /// Indexed by `StatusCode.rawValue`.
        var callsByStatus = [UInt64](repeating: 0, count: StatusCode.allCases.count)
    }

    private let counters = Mutex(Snapshot())
    private let inFlight = Atomic<Int>(0)
    let startedAt = ContinuousClock.now
    /// The connections' outgoing queues (PROTOCOL.md, "Limits": queued bytes).
    let writeQueue = WriteQueueStatistics()

    var snapshot: Snapshot { counters.withLock { $0 } }

    func connectionOpened() {
        counters.withLock {
            $0.connectionsCurrent += 1
            $0.connectionsTotal += 1
        }
    }

    func connectionClosed() {
        counters.withLock { $0.connectionsCurrent -= 1 }
    }

    /// Counts a call that never started (unknown method, limits) or one that ended: see `callLeftFlight`.
    func callEnded(_ code: StatusCode) {
        counters.withLock { $0.callsByStatus[Int(code.rawValue)] += 1 }
    }

    /// Calls admitted and not yet ended, on all connections.
    var callsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// A call was admitted to its connection's table of calls in flight.
    func callStarted() { inFlight.add(1, ordering: .relaxed) }

    /// An admitted call ended (it is counted by status with `callEnded` too).
    func callLeftFlight() { inFlight.subtract(1, ordering: .relaxed) }
}
