import SQLiteEngine

extension Migrations {
    /// Version 22: one index on the customers' name key instead of two (issue 15, create16).
    ///
    /// `customers_by_name (name_key, id)` and `customers_by_status_name (active, name_key, id)`
    /// both took an entry for every customer created, each on a leaf page found by the name, so a
    /// random page of each index per create: at 64 callers creating customers (`perf stat`, 2 000
    /// customers, marginal per create) dropping either one took ~1.1–1.9 `pwrite64` a create off the
    /// log writes and checkpoint copies (~0.5–0.9 WAL frames) and ~0.3–0.4 `pread64`
    /// (docs/performance/HISTORY.md, create16). The status index stays: listings by name are active-only
    /// by default, and SQLite, without statistics, prefers any index that takes `active = ?` as an
    /// equality, so without it those listings sorted in a temporary B-tree. A listing of every
    /// status by name reads the same index as two ranges, inactive and active, merged in order
    /// (`CustomerListingQuery`: UNION ALL under one ORDER BY and LIMIT, `MERGE (UNION ALL)` in
    /// its plan), which no longer needs the dropped index.
    static let nameIndex = Migration(version: 22, name: "one customer name index", sql: """
        DROP INDEX IF EXISTS customers_by_name;
        """)
}
