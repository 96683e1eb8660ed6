import SQLiteEngine

extension Migrations {
    /// Version 24: the idempotency keys' own clock, one row (keys20).
    ///
    /// Keys are stamped and expired by this logical time (`IdempotencyKeyClock`), which each
    /// keyed write advances by the wall clock's move since the last one, counted from 0 (a step
    /// back) to an hour (a step forward, or an idle gap): one row written per keyed write. Before,
    /// the stamps were wall time and a larger move rewrote every key's stamp (and its index entry)
    /// inside the writer's transaction: after each quiet hour, and after any step back, even of a
    /// millisecond.
    /// - `key_time` starts at the newest key's stamp and `wall` at the same, so the keys there keep
    ///   their age and the first keyed write after the upgrade counts its move as the old rule did.
    ///   With no keys both are NULL: the first keyed write starts the clock at the wall clock.
    static let idempotencyKeyClock = Migration(version: 24, name: "idempotency key clock", sql: """
        CREATE TABLE idempotency_key_clock (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            -- The logical time keys are stamped with (milliseconds; `idempotency_keys.created_at`).
            key_time INTEGER,
            -- The wall clock at the last keyed write (milliseconds since 1970 UTC).
            wall INTEGER,
            CHECK ((key_time IS NULL) = (wall IS NULL))
        );
        INSERT INTO idempotency_key_clock (singleton, key_time, wall)
        SELECT 1, max(created_at), max(created_at) FROM idempotency_keys;
        """)
}
