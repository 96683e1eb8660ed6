import SQLiteEngine

extension Migrations {
    /// Version 12: the change feed's retention horizon (issue 18 §1).
    ///
    /// The feed is the history itself: an entry's id is its sequence number. `history.id` is
    /// AUTOINCREMENT since version 8, so it is assigned inside the write's transaction, grows with
    /// every commit of the one writer and is never handed out twice, even after rows are gone
    /// (SQLite docs, "SQLite Autoincrement"). The history stays whole (it is every record's audit
    /// trail, which ListHistory serves), so retention does not delete entries: it moves this
    /// horizon, and the feed serves only the entries above it. The horizon only ever moves up, so a
    /// consumer told to resync is never later offered the events it was told were gone.
    static let changeFeed = Migration(version: 12, name: "change feed horizon", sql: """
        CREATE TABLE change_feed_horizon (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            -- The highest sequence number the feed no longer serves (0: it serves every entry).
            pruned_through INTEGER NOT NULL CHECK (pruned_through >= 0)
        );
        INSERT INTO change_feed_horizon (singleton, pruned_through) VALUES (1, 0);
        """)
}
