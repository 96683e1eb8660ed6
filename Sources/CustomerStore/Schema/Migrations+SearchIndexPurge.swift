import SQLiteEngine

extension Migrations {
    /// Version 30: whether an erased customer's trigrams may still be in the search index's data
    /// (search27b). FTS5 (SQLite 3.40, before `secure-delete`) deletes a row by writing a delete
    /// marker in a new segment: the erased customer's id stays listed under each trigram of its
    /// text in the older segments until a merge rewrites them. An erasure sets `purge_owed` in
    /// its own transaction (`SearchIndex.forget`); the indexer merges the index into one segment,
    /// step by step in the writer's idle time, and clears it (`SearchIndex.purgeStep`), so a
    /// restart resumes a purge begun. Set here when a customer was erased (its text emptied)
    /// under version 29, which left its trigrams; a new database owes none.
    static let searchIndexPurge = Migration(version: 30, name: "search index purge owed", sql: """
        ALTER TABLE customer_search_state ADD COLUMN purge_owed INTEGER NOT NULL DEFAULT 0 CHECK (purge_owed IN (0, 1));
        UPDATE customer_search_state SET purge_owed = EXISTS (SELECT 1 FROM customers WHERE search_text = '');
        """)
}
