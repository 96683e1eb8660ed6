import Foundation
import Synchronization

/// The clock the store stamps writes with (`created_at`, `updated_at`, history and feed times):
/// the wall clock, but never earlier than a stamp it gave before, in this process or, through the
/// newest `updated_at` stored (``init(wall:newestStored:)``), before a restart.
///
/// Why: `ListCustomers(changedSince:)` finds the customers whose `updated_at` is at or after the
/// newest stamp a client saw. Stamped by the bare wall clock, a customer written after the clock
/// was set back got a stamp earlier than that, and the client missed it until the clock caught up
/// (hardening's known gap; a record's own `updatedAt` already never went back, each write taking
/// its previous stamp plus 1 ms, but a new or other record's did). Held at the newest stamp while
/// the clock is behind, every write is found by such a query (caps21). Not strictly increasing:
/// stamps are whole milliseconds and `changedSince` includes its bound, so equal stamps are
/// found; adding a millisecond per write would run the stamps ahead of the clock under load.
///
/// What it does not do: stamps taken just before two writes commit in the other order (creates are
/// stamped inside the writer's transaction, so in commit order) and a clock set forward and back
/// again (the stamps stay at the furthest, and advance again once the clock passes it).
final class StampClock: Sendable {
    private let wall: @Sendable () -> Date
    /// The newest stamp given (or stored, at open); the next is at least this.
    private let newest: Atomic<Int64>

    init(wall: @escaping @Sendable () -> Date, newestStored: Int64) {
        self.wall = wall
        newest = Atomic(newestStored)
    }

    /// The wall clock now, whole milliseconds since 1970 UTC: for what is not a write's stamp
    /// (an idempotency key's clock counts the wall clock's own moves, a retention horizon).
    func wallMilliseconds() -> Int64 {
        wall().milliseconds
    }

    /// A write's stamp: the wall clock now, or the newest stamp given when the clock is behind it.
    func stamp() -> Int64 {
        let now = wallMilliseconds()
        var seen = newest.load(ordering: .relaxed)
        while now > seen {
            let (exchanged, original) = newest.compareExchange(expected: seen, desired: now, ordering: .relaxed)
            if exchanged { return now }
            seen = original
        }
        return seen
    }
}
