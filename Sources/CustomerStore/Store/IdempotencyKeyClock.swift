import SQLiteEngine

/// The time idempotency keys are stamped and expired by (``Migrations/idempotencyKeyClock``): the
/// wall clock's moves between keyed writes, each counted from 0 up to
/// ``IdempotencyClaim/clockStepLimitMilliseconds``, so a clock step ages no key by more than that.
///
/// A clock set forward by a day must not drop the keys a client is about to retry under (it did: a
/// retry then ran again and made a duplicate); a clock set back, counted as 0, must not keep them
/// for as long again. An idle gap longer than the limit counts as the limit, which keeps keys longer
/// than 24 hours of wall clock on a quiet server, never shorter but for a step forward within the
/// limit. One row read and written per keyed write, whatever the move: the keys' stamps are never
/// rewritten (they were, after each quiet hour and any step back, even of a millisecond: a day of
/// keys rewritten in the one writer's transaction).
struct IdempotencyKeyClock {
    /// The keys' time now (milliseconds): a key stored now is stamped with it.
    let now: Int64
    /// The wall clock it was read at (milliseconds since 1970 UTC).
    let wall: Int64

    /// The clock as stored, advanced to `wall` (the wall clock, milliseconds since 1970 UTC);
    /// nothing is written (``save(_:)``).
    static func advanced(_ connection: SQLiteConnection, wall: Int64) throws -> IdempotencyKeyClock {
        let last = try connection.withStatement("SELECT key_time, wall FROM idempotency_key_clock") { statement in
            try statement.step() ? (statement.optionalInt64(0), statement.optionalInt64(1)) : (nil, nil)
        }
        var clock = IdempotencyKeyClock(now: wall, wall: wall)
        if let lastTime = last.0, let lastWall = last.1 {
            let limit = IdempotencyClaim.clockStepLimitMilliseconds
            let moved = wall.subtractingReportingOverflow(lastWall)
            let counted = moved.overflow ? (wall > lastWall ? limit : 0) : min(max(moved.partialValue, 0), limit)
            let advanced = lastTime.addingReportingOverflow(counted)
            clock = IdempotencyKeyClock(now: advanced.overflow ? .max : advanced.partialValue, wall: wall)
        }
        return clock
    }

    /// Stores this clock in the keyed write's transaction: the next keyed write
    /// counts the wall clock's move from here. Every keyed write that is answered saves it, a
    /// replay's included (one that did not would let a step back absorb the time after it); a
    /// refused one (a conflict) changes nothing, the clock included.
    func save(_ connection: SQLiteConnection) throws {
        try connection.run("""
            INSERT INTO idempotency_key_clock (singleton, key_time, wall) VALUES (1, ?, ?)
            ON CONFLICT (singleton) DO UPDATE SET key_time = excluded.key_time, wall = excluded.wall
            """, [.integer(now), .integer(wall)])
    }

    /// The oldest stamp a key may have and still be remembered.
    var horizon: Int64 {
        let horizon = now.subtractingReportingOverflow(IdempotencyClaim.retentionMilliseconds)
        return horizon.overflow ? .min : horizon.partialValue
    }
}
