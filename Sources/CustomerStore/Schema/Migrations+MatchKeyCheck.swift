import SQLiteEngine

extension Migrations {
    /// Version 16: `customer_match_keys.kind` checked without an IN list (issue 15).
    ///
    /// SQLite evaluates `kind IN ('vat', 'name', 'domain', 'phone')` in a CHECK by filling an
    /// ephemeral table with the four values for every row written (EXPLAIN: `OpenEphemeral`, four
    /// `IdxInsert`s, then `Found`): a page cleared and filled per match key, so every create and
    /// update paid for it once per key. The same rule as a chain of `=` is four comparisons. Timed
    /// with the sqlite3 module on 100 000 `INSERT OR IGNORE`s of one key each: 0.77 s -> 0.38-0.42 s
    /// of CPU. The table is rebuilt as SQLite documents for a changed constraint (SQLite docs,
    /// "ALTER TABLE", 7), its rows copied in primary-key order and the second index built after.
    static let matchKeyCheck = Migration(version: 16, name: "match key kinds checked without an IN list",
                                         rebuildingTables: { connection in
        try connection.execute("""
            CREATE TABLE customer_match_keys_rebuilt (
                kind TEXT NOT NULL CHECK (kind = 'vat' OR kind = 'name' OR kind = 'domain' OR kind = 'phone'),
                key TEXT NOT NULL CHECK (length(key) > 0),
                customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
                PRIMARY KEY (kind, key, customer_id)
            ) WITHOUT ROWID;
            INSERT INTO customer_match_keys_rebuilt (kind, key, customer_id)
                SELECT kind, key, customer_id FROM customer_match_keys ORDER BY kind, key, customer_id;
            DROP TABLE customer_match_keys;
            ALTER TABLE customer_match_keys_rebuilt RENAME TO customer_match_keys;
            CREATE INDEX customer_match_keys_by_customer ON customer_match_keys (customer_id, kind, key);
            """)
    })
}
