import Synchronization

/// A count that threads take from and give back to, never past its limit, without a lock: one
/// compare-and-exchange per take (a refused take counts nothing, so it cannot make another one
/// fail). The server holds these kinds:
///
/// - **Calls in flight per OS user** (peer uid), on all its connections together, against
///   `ServerConfiguration.maxCallsPerUser`, one call a unit. Every call in flight may hold a server
///   thread (a streaming call, a slow handler, a call waiting for its connection's reader), so a
///   user with many connections and many open calls could hold threads by the thousand; the
///   per-connection limit bounds one connection, this bounds the sum, so one user at its budget
///   still leaves the server to the others. One instance per uid with open connections
///   (``ConnectionRegistry`` hands it to each of the user's connections at admission), shared only
///   by that user's own connections.
/// - **Client-stream bytes per connection**, against
///   `maxBufferedClientStreamBytesPerConnection`: messages received and not yet taken by their
///   handlers. Flow control bounds each stream by its window plus one frame (a sender with any
///   credit left may send a whole frame), but with 100 calls a connection could still make the
///   server hold 100 x (256 KiB + 4 MiB). A message that would take the connection past this budget
///   ends its own call with RESOURCE_EXHAUSTED (PROTOCOL.md, "Limits"); the others go on.
/// - **Input bytes per OS user** (`maxInputBytesPerUser`): frames being read and client-stream
///   messages buffered, on all the user's connections, handed out with the calls budget.
/// - **Spool bytes of the imports in progress** (`CustomerServerConfiguration.maxImportSize`):
///   every import's spool file together, so imports running at once cannot fill the database's disk.
public final class SharedBudget: Sendable {
    public let limit: Int
    private let used = Atomic<Int>(0)

    public init(limit: Int) {
        self.limit = limit
    }

    /// Units taken and not given back (calls in flight, bytes buffered), for tests and statistics.
    public var inUse: Int { used.load(ordering: .relaxed) }

    /// Takes `amount` unless that would pass the limit; false (and nothing taken) when it would.
    public func take(_ amount: Int) -> Bool {
        var current = used.load(ordering: .relaxed)
        while true {
            let (sum, overflow) = current.addingReportingOverflow(amount)
            guard !overflow, sum <= limit else { return false }
            let (exchanged, original) = used.compareExchange(expected: current, desired: sum, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    /// Gives back `amount` taken before (a call ended, buffered bytes consumed).
    public func giveBack(_ amount: Int) {
        used.subtract(amount, ordering: .relaxed)
    }
}
