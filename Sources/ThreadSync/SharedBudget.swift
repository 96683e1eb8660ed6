import Synchronization

/// A count that threads take from and give back to, never past its limit, without a lock: one
/// compare-and-exchange per take (a refused take counts nothing, so it cannot make another one
/// fail). One instance is shared by whoever draws on the same resource (the server's per-user calls,
/// input bytes and queued answer bytes, a connection's buffered client-stream bytes, the imports'
/// spools); why each limit exists is told where it is configured.
///
/// A taker that waits for room instead of being refused (queued answer bytes: a frame cannot be
/// refused once its call's answer is due) checks ``hasRoom`` and then counts what it adds with
/// ``takeAdmitted(_:)``, which may pass the limit by what the takers admitted at once add.
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

    /// Whether the count is below its limit (a waiting taker may go on).
    public var hasRoom: Bool { used.load(ordering: .relaxed) < limit }

    /// Counts `amount` whatever the limit: bytes a taker already holds after ``hasRoom`` admitted
    /// it (a whole frame), so the count stays exact and later takers wait.
    public func takeAdmitted(_ amount: Int) {
        used.add(amount, ordering: .relaxed)
    }

    /// Gives back `amount` taken before (a call ended, buffered bytes consumed).
    public func giveBack(_ amount: Int) {
        used.subtract(amount, ordering: .relaxed)
    }
}
