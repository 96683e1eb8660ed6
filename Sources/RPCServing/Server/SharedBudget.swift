import Synchronization

/// The calls one OS user (peer uid) has in flight on all its connections together, against
/// `ServerConfiguration.maxCallsPerUser`.
///
/// Why: every call in flight may hold a server thread (a streaming call, a slow handler, a call
/// waiting for its connection's reader), so a user with many connections and many open calls
/// could hold threads by the thousand. The per-connection limit bounds one connection; this
/// bounds the sum, so one user at its budget still leaves the server to the others.
///
/// One instance per uid with open connections (``ConnectionRegistry`` hands it to each of the
/// user's connections at admission), so a call pays one atomic add and no lock: the counter is
/// shared only by that user's own connections.
final class UserCallBudget: Sendable {
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Calls of this user admitted and not yet ended.
    var callsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Counts one more call; false (and nothing counted) when the user is at its budget.
    func admit() -> Bool {
        if inFlight.wrappingAdd(1, ordering: .relaxed).newValue <= limit { return true }
        inFlight.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    /// An admitted call ended (answered, cancelled or abandoned).
    func release() {
        inFlight.wrappingSubtract(1, ordering: .relaxed)
    }
}
