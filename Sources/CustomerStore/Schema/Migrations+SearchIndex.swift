import SQLiteEngine

extension Migrations {
    /// Version 29: the customers' search text indexed by its trigrams, kept behind the writer
    /// (search27; search26 measured the same index kept by triggers, which cost every create
    /// +39 % to +73 % of the server's instructions).
    ///
    /// A search was `search_text LIKE '%term%'` over every customer: one that matches few or none
    /// read the whole table (~90 ms at 100 000 customers, a release build). `customer_search` is
    /// an FTS5 table of the customers' search texts tokenized into trigrams, from which
    /// `CustomerListingQuery` takes the candidates of a term of 3 or more code points
    /// (`SearchIndexQuery`); the LIKE on the customer's row still decides, so the results are the
    /// scan's.
    ///
    /// No trigger and no write of the writer's paths touches it (but an erasure, which takes the
    /// erased text out at once: `SearchIndex.forget`): `SearchIndexer` brings it up to
    /// date in the writer's idle time, in transactions of its own, from the change history, whose
    /// entries every write of a customer's search text appends in its own transaction (create,
    /// update, import, merge, erasure). `customer_search_state.indexed_through` is the last history
    /// entry the index has followed, written in the same transaction as the index's rows, so a
    /// crash never leaves them apart; a search adds the customers of the entries after it to the
    /// index's candidates. Writes of the search text without a history entry (the business-id
    /// backfill, a future migration recomputing the text) rebuild the index and set the mark in
    /// their own transaction (`SearchIndex.rebuild`).
    ///
    /// The index keeps its own copy of each text (not external content): the indexer, running
    /// after the write, no longer knows the text a row had, and FTS5 deletes a row's trigrams by
    /// reading the text it indexed. `detail=none`: which rows hold a trigram, not where (a term is
    /// asked as all of its trigrams, a superset the LIKE narrows); `columnsize=0`: no table of
    /// token counts (a listing does not rank). An empty text (an erased customer) is not indexed.
    ///
    /// The build reads every customer in this migration's transaction: a crash during it leaves
    /// the database at version 28, and the next start builds it again.
    static let searchIndex = Migration(version: 29, name: "customer search trigram index", sql: """
        CREATE VIRTUAL TABLE customer_search USING fts5(
            search_text, tokenize = 'trigram', detail = 'none', columnsize = 0
        );
        CREATE TABLE customer_search_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            indexed_through INTEGER NOT NULL
        );
        INSERT INTO customer_search_state (id, indexed_through) VALUES (1, 0);
        \(SearchIndex.rebuildSQL)
        """)
}
