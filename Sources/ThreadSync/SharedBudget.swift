import Synchronization

/// A count that threads take from and give back to, never past its limit, without a lock: one
/// compare-and-exchange per take (a refused take counts nothing, so it cannot make another one
/// fail). One instance is shared by whoever draws on the same resource (the server's per-user calls
/// and input bytes, a connection's buffered client-stream bytes, the imports' spools); why each
/// limit exists is told where it is configured.
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
