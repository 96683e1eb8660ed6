/// The unary calls one connection runs past its OS user's share of threads
/// (``ServerConfiguration/maxUnaryThreadsPerUser``): one thread of the connection runs them one
/// after another, in the order read, while its leader reads on. A value type under the
/// connection's `coordination` lock.
///
/// Why: past the share the leader used to run each such call itself, so nothing read the
/// connection while it ran: a CANCEL of the running call, a PING or a WINDOW_UPDATE behind a call
/// waiting for the database's writer was read only after it (redteam16's known gap). Now the
/// connection keeps at most one thread more than its reader for them, whatever their number.
struct OverShareCalls {
    /// A thread of the connection runs such calls now; every unary call read meanwhile is queued.
    var isRunning = false
    /// The inline turn (``ConnectionThreads/inlineTurn``) whose thread became the one running them
    /// when the watchdog promoted a reader past the share; nil once that call ended.
    var turn: UInt64?
    /// Read while one ran, not started yet (at most the connection's calls in flight, each
    /// admitted and counted when read).
    var queued: [ServerConnection.PendingCall] = []

    /// The next call to run, or nil: then no call runs past the share any more.
    mutating func next() -> ServerConnection.PendingCall? {
        guard !queued.isEmpty else {
            isRunning = false
            return nil
        }
        return queued.removeFirst()
    }
}
