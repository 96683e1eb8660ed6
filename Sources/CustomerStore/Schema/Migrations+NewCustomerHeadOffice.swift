import SQLiteEngine

extension Migrations {
    /// Version 20: the rule "a new customer names no head office" leaves the schema for the store's
    /// code (issue 15).
    ///
    /// The trigger `customers_head_office_on_insert` (migration 3) refused a customer INSERT that
    /// named a head office. Its condition never held: an address needs its customer first, so a
    /// create binds NULL (`CustomerStore.appendInsertValues`), and the import, the one writer that gives
    /// a head office in the INSERT, gives its own row's address with the trigger set aside
    /// (`CustomerImportTriggers`). Yet a trigger on a table makes every INSERT into it run the
    /// trigger's program and, inside a transaction, a statement journal: SQLite copies each page the
    /// INSERT changes in case the statement must be undone. What stays in the schema: the foreign
    /// key (the address exists) and the partial unique index `customers_by_head_office` (no address
    /// is two customers' head office); an UPDATE of the head office is still checked by
    /// `customers_head_office_on_update`.
    static let newCustomerHeadOffice = Migration(version: 20, name: "a new customer's head office checked by the store", sql: """
        DROP TRIGGER IF EXISTS customers_head_office_on_insert;
        """)
}
