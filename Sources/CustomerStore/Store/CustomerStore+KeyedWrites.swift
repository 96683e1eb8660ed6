import SQLiteEngine

/// Writes sent with an idempotency key: run once per (user, key), answered the same way after.
///
/// The key's row and the write it records commit in ONE transaction, so a crash leaves either
/// both or neither: a retry after a restart finds the first answer exactly when the first write
/// committed. The whole call runs inside that transaction, answer encoding included, because the
/// row holds the encoded answer: the body reaches the store only through the view from
/// ``insideKeyedWrites()``, whose reads and writes run on the writer connection, in the keyed
/// write's transaction (its writes each in their own savepoint).
///
/// Calls with the same key are serialized by the writer: a duplicate sent while the first is
/// still running waits for it and then gets its answer. A body that throws stores nothing (its
/// savepoint is undone), so a refused first call never blocks a corrected retry under the same key.
extension CustomerStore {
    /// This store's connections as a body of ``keyedWrite(_:_:)`` must use them. Use the view only
    /// inside such a body: outside one it would touch the writer connection while another thread
    /// holds it. A write through the pooled store from inside a body is refused (it would wait
    /// for itself), never left hanging.
    public func insideKeyedWrites() -> CustomerStore {
        CustomerStore(viewOf: self, access: .insideKeyedWrite, admission: admission)
    }

    /// Runs `body` unless `claim`'s user already used its key within the retention period.
    ///
    /// - Returns: `.ran` with `body`'s answer, stored with the key; `.replayed` with the first
    ///   answer when the key was used for the same method and request; `.conflict` when it was used
    ///   for another one (nothing runs, nothing is stored).
    /// - Throws: what `body` throws (nothing is stored, the key stays free); the transaction's error.
    public func keyedWrite(_ claim: IdempotencyClaim, _ body: () throws -> [UInt8]) throws -> IdempotentOutcome {
        let admission = try admission.asked(by: "keyedWrite(_:_:) of \(claim.method)")
        return try mappingEngineErrors {
            // The feed's watchers wake after the COMMIT, as after any write (see `write`); a file's
            // content the body's removal left without a row goes then too (`BlobsToUnlink`).
            defer {
                commits.committed()
                unlinkBlobsKeyedWritesLeft()
            }
            return try writer.write(admission: admission) { connection in
                let (earlier, clock) = try lookUp(connection, claim)
                if let earlier { return earlier }
                let response = try body()
                try Self.remember(connection, claim, answer: response, at: clock)
                return .ran(response)
            }
        }
    }

    /// The first step of a keyed write, in its transaction: the keys' clock advanced, then what
    /// `claim`'s key came to before (nil for a new key, to be stored with `remember` at `clock`).
    /// The writes that keep their key themselves (an import and an upload in their own
    /// transaction once their request is whole, a backup's row after its publication) call it too.
    func lookUp(_ connection: SQLiteConnection, _ claim: IdempotencyClaim) throws
        -> (earlier: IdempotentOutcome?, clock: IdempotencyKeyClock)
    {
        let clock = try IdempotencyKeyClock.advanced(connection, wall: clock.wallMilliseconds())
        return (try Self.earlierUse(connection, of: claim, at: clock), clock)
    }

    /// What `claim`'s key came to when its user used it before within the retention period
    /// (`.replayed`, `.forgotten` or `.conflict`); nil for a new key. Keys older than that are pruned first:
    /// here, inside the writes that add keys, so the table stays one day deep without a timer.
    /// Ages are the keys' own (`clock`), not the wall clock's; `clock` is saved unless the key is
    /// refused (a conflict changes nothing).
    static func earlierUse(_ connection: SQLiteConnection, of claim: IdempotencyClaim, at clock: IdempotencyKeyClock) throws
        -> IdempotentOutcome?
    {
        try connection.run("DELETE FROM idempotency_keys WHERE created_at < ?", [.integer(clock.horizon)])
        let outcome = try storedUse(connection, of: claim, since: clock.horizon)
        if case .conflict = outcome { return outcome }
        try clock.save(connection)
        return outcome
    }

    /// What `claim`'s key came to, read without writing anything (no key pruned, the keys' clock
    /// not saved): for a backup, which must run while nothing may be written (the database's
    /// files removed: backing up is then what saves the data).
    func earlierUseRead(of claim: IdempotencyClaim) throws -> IdempotentOutcome? {
        try read { connection in
            let clock = try IdempotencyKeyClock.advanced(connection, wall: clock.wallMilliseconds())
            return try Self.storedUse(connection, of: claim, since: clock.horizon)
        }
    }

    /// The stored use of `claim`'s key stamped at `horizon` or later, compared with `claim`.
    private static func storedUse(_ connection: SQLiteConnection, of claim: IdempotencyClaim, since horizon: Int64) throws
        -> IdempotentOutcome?
    {
        try connection.withStatement("""
            SELECT method, request_sha256, response FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at >= ?
            """) { statement in
            try statement.bind([.integer(claim.userID), .text(claim.key), .integer(horizon)])
            guard try statement.step() else { return nil }
            let method = try statement.text("method")
            let request = try statement.text("request_sha256")
            let forgotten = request.hasPrefix(Self.forgottenAnswerMark)
            guard method == claim.method,
                  (forgotten ? String(request.dropFirst(Self.forgottenAnswerMark.count)) : request) == claim.requestSHA256
            else {
                return .conflict(method: method)
            }
            return forgotten ? .forgotten : .replayed(try statement.blob("response"))
        }
    }

    /// Stores `claim`'s key with the answer of the write it ran, stamped with `clock`'s time, in
    /// that write's transaction.
    static func remember(_ connection: SQLiteConnection, _ claim: IdempotencyClaim, answer: [UInt8],
                         at clock: IdempotencyKeyClock) throws {
        try connection.withStatement("""
            INSERT INTO idempotency_keys (user_id, key, method, request_sha256, response, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """) { statement in
            try statement.bind([.integer(claim.userID), .text(claim.key), .text(claim.method),
                                .text(claim.requestSHA256)])
            try statement.bind(answer, at: 5)
            try statement.bind(clock.now, at: 6)
            try statement.run()
        }
    }
}

extension CustomerStore {
    /// Drops the remembered answers of keyed writes that carry any of `values` (the encoded answer
    /// holds a string as its UTF-8 bytes): an erased person's data must not outlive the erasure
    /// in a replay cache. The key itself stays claimed, marked (``forgottenAnswerMark``): a retry
    /// of such a write under it is answered `.forgotten` and never runs again. (The rows used to be
    /// deleted, so a retry created the record a second time; and a short value, say a country
    /// code, is in many unrelated answers, whose retries then ran twice as well.)
    static func forgetAnswers(_ connection: SQLiteConnection, mentioning values: [String?]) throws {
        for value in Set(values.compactMap { $0 }) where !value.isEmpty {
            try connection.run("""
                UPDATE idempotency_keys SET response = X'', request_sha256 = ?1 || request_sha256
                WHERE substr(request_sha256, 1, length(?1)) <> ?1 AND instr(response, CAST(?2 AS BLOB)) > 0
                """, [.text(forgottenAnswerMark), .text(value)])
        }
    }

    /// Prefixed to a key's request hash when its answer was forgotten (a hash is hex, so no hash
    /// starts with it).
    static let forgottenAnswerMark = "forgotten:"
}
