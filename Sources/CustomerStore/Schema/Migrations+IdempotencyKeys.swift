import SQLiteEngine

extension Migrations {
    /// Version 9: the idempotency keys of writes and their first answers (see `IdempotencyClaim`).
    ///
    /// - Keyed by (user, key) because keys are scoped per user; WITHOUT ROWID because the primary
    ///   key is the only lookup and rows are small (SQLite docs, "The WITHOUT ROWID Optimization").
    /// - `response` is the encoded answer message, replayed byte for byte.
    /// - No foreign key to users: users are deactivated, not deleted, and a row lives 24 hours.
    /// - The index on `created_at` makes the pruning of expired keys, run with each keyed write,
    ///   one range scan that finds nothing most of the time.
    static let idempotencyKeys = Migration(version: 9, name: "idempotency keys", sql: """
        CREATE TABLE idempotency_keys (
            user_id INTEGER NOT NULL,
            key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
            method TEXT NOT NULL,
            request_sha256 TEXT NOT NULL,
            response BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (user_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX idempotency_keys_by_created_at ON idempotency_keys (created_at);
        """)
}
