import RPCCore
import RPCTransport
import Synchronization

/// Counts the unary calls in flight in this process, so a call can tell whether it is alone.
///
/// A lone call reads its own response on its own thread (see ClientConnection+Reading): blocking
/// a cooperative-pool thread for a moment costs nothing when no other call could use it, but with
/// several calls in flight each blocked caller would hold a pool thread the others need, so they
/// leave the reading to the connections' reader threads instead.
enum UnaryCallCounter {
    private static let inFlight = Atomic<Int>(0)

    /// Counts a call in; true when no other unary call was in flight.
    static func begin() -> Bool {
        inFlight.add(1, ordering: .relaxed).newValue == 1
    }

    static func end() {
        inFlight.subtract(1, ordering: .relaxed)
    }
}
