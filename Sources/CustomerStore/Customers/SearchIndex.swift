import SQLiteEngine

/// The writes of the search index (`customer_search`, migration 29), all off the writer's paths:
/// its catching up with the change history, batch by batch, and its rebuild.
enum SearchIndex {
    /// The most history entries one catching-up transaction follows: a write arriving while it
    /// runs waits for at most this many entries' customers to be reindexed (measured in
    /// docs/performance/HISTORY.md "search27").
    static let batchLimit = 256

    /// Indexes every customer's text and marks the index as following every history entry
    /// written so far. In the caller's transaction: the migration's, or one that wrote search
    /// texts without a history entry (the business-id backfill), so the index and its mark move
    /// together.
    static let rebuildSQL = """
        DELETE FROM customer_search;
        INSERT INTO customer_search (rowid, search_text) SELECT id, search_text FROM customers WHERE search_text <> '';
        UPDATE customer_search_state SET indexed_through = (SELECT coalesce(max(id), 0) FROM history);
        """

    /// Follows up to `limit` history entries after the index's mark: each customer they name is
    /// indexed again with the text its row holds now (or left out, when gone or erased), and the
    /// mark moves to the last entry followed, in one transaction.
    /// - Returns: whether entries remain after those (another batch is due).
    static func catchUp(_ connection: SQLiteConnection, limit: Int = batchLimit,
                        beforeCommit: () throws -> Void = {}) throws -> Bool {
        try connection.transaction("BEGIN IMMEDIATE") {
            let mark = try connection.withStatement("SELECT indexed_through FROM customer_search_state") { statement in
                try statement.step() ? statement.int64(0) : 0
            }
            var last = mark
            var customers = Set<Int64>()
            var entries = 0
            try connection.withStatement("SELECT id, customer_id FROM history WHERE id > ? ORDER BY id LIMIT ?") { statement in
                try statement.bind([.integer(mark), .integer(Int64(limit))])
                while try statement.step() {
                    last = statement.int64(0)
                    customers.insert(statement.int64(1))
                    entries += 1
                }
            }
            guard entries > 0 else { return false }
            for id in customers.sorted() {
                try connection.run("DELETE FROM customer_search WHERE rowid = ?", [.integer(id)])
                try connection.run("""
                    INSERT INTO customer_search (rowid, search_text)
                    SELECT id, search_text FROM customers WHERE id = ? AND search_text <> ''
                    """, [.integer(id)])
            }
            try connection.run("UPDATE customer_search_state SET indexed_through = ?", [.integer(last)])
            try beforeCommit()
            return entries == limit
        }
    }

    /// Takes the customers' texts out of the index now (an erasure, whose data must leave every
    /// file when it is acknowledged); the indexer, following the erasure's entry later, finds
    /// nothing more to do. FTS5 keeps the text's trigrams, without the text, in its older segments
    /// until a merge rewrites them: the erasure marks a purge owed, which the indexer runs later
    /// (``purgeStep(_:pages:)``), so this transaction stays as short as the erasure.
    static func forget(_ connection: SQLiteConnection, customerIDs: [Int64]) throws {
        for id in customerIDs {
            try connection.run("DELETE FROM customer_search WHERE rowid = ?", [.integer(id)])
        }
        try connection.run("UPDATE customer_search_state SET purge_owed = 1")
    }

    /// The leaf pages one purge step writes before it stops at the next term: a write arriving
    /// meanwhile waits for these and at most the rest of one term's list of customers, the
    /// longest that of a trigram every customer holds (measured in docs/PERFORMANCE.md
    /// "search27b": ~1.3 ms a step, at most ~9 ms, at 100 000 customers).
    static let purgePages = 16

    /// One step of a purge owed (migration 30): FTS5's incremental merge with a negative argument
    /// first takes every segment as inputs of one merge, as 'optimize' does, then writes up to
    /// `pages` leaf pages of its output. Merged into one segment, the oldest, the delete markers
    /// meet the entries they delete and both are dropped: no segment lists an erased customer
    /// under its trigrams. When a step finds nothing to merge (FTS5: fewer than 2 changes) the
    /// index is one segment and the purge is done. In one transaction, the flag with the merge.
    /// - Returns: whether the purge goes on (another step is due).
    static func purgeStep(_ connection: SQLiteConnection, pages: Int = purgePages,
                          beforeCommit: () throws -> Void = {}) throws -> Bool {
        try connection.transaction("BEGIN IMMEDIATE") {
            let owed = try connection.withStatement("SELECT purge_owed FROM customer_search_state") { statement in
                try statement.step() && statement.int64(0) != 0
            }
            guard owed else { return false }
            let before = connection.totalChanges
            try connection.run("INSERT INTO customer_search (customer_search, rank) VALUES ('merge', ?)", [.integer(-Int64(pages))])
            if connection.totalChanges - before >= 2 {
                try beforeCommit()
                return true
            }
            try connection.run("UPDATE customer_search_state SET purge_owed = 0")
            try beforeCommit()
            return false
        }
    }

    /// How many history entries the index has not followed yet (for tests and measurements).
    static func lag(_ connection: SQLiteConnection) throws -> Int64 {
        try connection.withStatement("""
            SELECT count(*) FROM history WHERE id > (SELECT indexed_through FROM customer_search_state)
            """) { statement in
            try statement.step() ? statement.int64(0) : 0
        }
    }
}
