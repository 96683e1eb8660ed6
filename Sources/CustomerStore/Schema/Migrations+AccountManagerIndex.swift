import SQLiteEngine

extension Migrations {
    /// Version 23: the account-manager index leaves out customers without one (issue 15, create20).
    ///
    /// Every create wrote an entry in `customers_by_account_manager`, a NULL one when the customer
    /// has no account manager (most creates, and every one of `customer-bench run create`): ~1 500
    /// instructions of `sqlite3_step` a create (callgrind of the group's INSERTs in the sqlite3
    /// shell, 64 creates a group on 100 000 customers, docs/performance/HISTORY.md create20). Every query
    /// that reads the index names a manager (`account_manager_id = ?`: a listing's or a mailing
    /// list's filter, the foreign key's parent-side check), which implies NOT NULL, so SQLite still
    /// uses the partial index (SQLite docs, "Partial Indexes", 3.1); none asks for customers
    /// without one.
    static let accountManagerIndex = Migration(version: 23, name: "account manager index without the unmanaged", sql: """
        DROP INDEX IF EXISTS customers_by_account_manager;
        CREATE INDEX customers_by_account_manager ON customers (account_manager_id)
            WHERE account_manager_id IS NOT NULL;
        """)
}
