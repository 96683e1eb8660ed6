import SQLiteEngine

extension Migrations {
    /// Version 13: finding and merging duplicate customers (issue 18 §2).
    ///
    /// - `customer_match_keys`: the blocking keys `findDuplicates` groups customers by (a VAT
    ///   number or business id, a name without case, accents and legal form, an email domain or
    ///   website host, a phone number in E.164), computed in Swift when a customer is written
    ///   (`MatchKey`). The primary key puts customers sharing a key next to each other, so a
    ///   customer's candidates are one index range; the second index walks customers in id order
    ///   for paging (built after the existing customers' keys). A customer's keys go with it (ON
    ///   DELETE CASCADE).
    /// - `customer_merges`: which customer an absorbed one was merged into, so its id answers
    ///   NOT_FOUND naming the survivor. No foreign key to `customers`: the absorbed row is gone, and
    ///   the kept one may itself be merged later (the chain is followed).
    /// - History: a `merged` action.
    /// - `addresses_stay_with_their_customer` lets addresses move only from a customer being merged
    ///   into the one it is merged into (the merge records itself first).
    /// Existing customers get their keys here (the rule is Swift's, so this is a migration in code).
    static let customerMerge = Migration(version: 13, name: "duplicate keys and customer merges",
                                         rebuildingTables: { connection in
        try connection.execute("""
            CREATE TABLE customer_match_keys (
                kind TEXT NOT NULL CHECK (kind IN ('vat', 'name', 'domain', 'phone')),
                key TEXT NOT NULL CHECK (length(key) > 0),
                customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
                PRIMARY KEY (kind, key, customer_id)
            ) WITHOUT ROWID;
            CREATE TABLE customer_merges (
                -- A customer's id, never one SQLite hands out here (so no AUTOINCREMENT).
                absorbed_id INTEGER NOT NULL PRIMARY KEY,
                kept_id INTEGER NOT NULL,
                merged_at INTEGER NOT NULL,
                merged_by INTEGER NOT NULL REFERENCES users(id)
            );
            CREATE INDEX customer_merges_by_kept ON customer_merges (kept_id);
            CREATE INDEX customer_merges_by_user ON customer_merges (merged_by);
            INSERT INTO history_actions (name) VALUES ('merged');
            DROP TRIGGER addresses_stay_with_their_customer;
            CREATE TRIGGER addresses_stay_with_their_customer BEFORE UPDATE OF customer_id ON addresses
            WHEN NEW.customer_id IS NOT OLD.customer_id
              AND NOT EXISTS (SELECT 1 FROM customer_merges WHERE absorbed_id = OLD.customer_id AND kept_id = NEW.customer_id)
            BEGIN
                SELECT RAISE(ABORT, 'an address cannot move to another customer');
            END;
            """)
        try CustomerStore.storeAllMatchKeys(connection)
        // After the keys: one sorted build is cheaper than keeping the index up to date row by row.
        try connection.execute("CREATE INDEX customer_match_keys_by_customer ON customer_match_keys (customer_id, kind, key)")
    })
}
