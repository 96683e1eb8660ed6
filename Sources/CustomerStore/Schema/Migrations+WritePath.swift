import SQLiteEngine

extension Migrations {
    /// Version 15: indexes that every create paid for and no query reads (issue 15).
    ///
    /// A create wrote ten index entries for its customer and three for its history entry, each a
    /// B-tree descent of ~5 000 instructions (callgrind of the create path). Each index was checked
    /// against the queries of the store (EXPLAIN QUERY PLAN); these serve none:
    /// - `customers_by_created_by`, `customers_by_updated_by`, `history_by_user`: made for the
    ///   foreign keys to `users`, whose only use is a parent-side check when a user row is deleted
    ///   or its id changed. Neither happens: users are deactivated, never deleted, and ids never
    ///   change. No listing or history query filters by author.
    /// - `customers_by_head_office` becomes partial: a new customer has no head office (its
    ///   addresses come after it), and NULLs are distinct in a UNIQUE index anyway, so leaving them
    ///   out keeps the rule (one customer per address) while a create writes no entry. The
    ///   foreign-key lookup when an address is deleted (`head_office_address_id = ?`) implies
    ///   NOT NULL, so SQLite still uses it (SQLite docs, "Partial Indexes", 3.1).
    /// `IF EXISTS`: a migration before this one may have rebuilt a table without its index.
    static let writePath = Migration(version: 15, name: "indexes a create paid for and no query reads", sql: """
        DROP INDEX IF EXISTS customers_by_created_by;
        DROP INDEX IF EXISTS customers_by_updated_by;
        DROP INDEX IF EXISTS history_by_user;
        DROP INDEX customers_by_head_office;
        CREATE UNIQUE INDEX customers_by_head_office ON customers (head_office_address_id)
            WHERE head_office_address_id IS NOT NULL;
        """)
}
