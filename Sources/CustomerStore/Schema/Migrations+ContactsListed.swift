import SQLiteEngine

extension Migrations {
    /// Version 21: a customer's contacts indexed in the order they are listed (issue 15).
    ///
    /// The card lists a customer's contacts by last name (the first name when there is none), then
    /// first name, both under NOCASE, then id. `contacts_by_customer (customer_id, id)` gave them in
    /// id order, so the store decoded every contact into a record and sorted the records (an
    /// ORDER BY sorted them in a temporary B-tree, which cost more). In this index's order SQLite
    /// steps them listed, and the server writes each into the card as it is stepped
    /// (`ContactRow.list(…lending:)`, docs/performance/HISTORY.md "card15"). It replaces
    /// `contacts_by_customer`: every lookup of a customer's contacts (the trigger
    /// `customers_keep_live_contacts`, the cascade from `customers`, the exports' first contact,
    /// the mailing list) needs only its first column; a merge's plan, which lists the absorbed
    /// customer's contact ids by id once a merge, sorts those few.
    static let contactsListed = Migration(version: 21, name: "contacts indexed in their listed order", sql: """
        CREATE INDEX contacts_listed ON contacts
            (customer_id, coalesce(last_name, first_name) COLLATE NOCASE, first_name COLLATE NOCASE, id);
        DROP INDEX contacts_by_customer;
        """)
}
