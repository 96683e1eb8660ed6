import SQLiteEngine

extension CustomerStore {
    /// Replaces a customer's duplicate keys by those of its fields as now stored, inside the
    /// caller's write (every insert and update of a customer's fields calls it).
    static func storeMatchKeys(_ connection: SQLiteConnection, customerID: Int64) throws {
        try connection.run("DELETE FROM customer_match_keys WHERE customer_id = ?", [.integer(customerID)])
        let keys = try connection.withStatement("""
            SELECT name, vat_number, business_id, country, email, website, phone FROM customers WHERE id = ? AND deleted = 0
            """) { statement -> [MatchKey] in
            try statement.bind(customerID, at: 1)
            return try statement.step() ? matchKeys(statement) : []
        }
        try insertMatchKeys(connection, keys, customerID: customerID)
    }

    /// Computes every live customer's keys (migration 13, and benchmarks that seed rows in SQL),
    /// inserting as it reads: SQLite lets one connection write another table while a SELECT steps.
    static func storeAllMatchKeys(_ connection: SQLiteConnection) throws {
        try connection.execute("DELETE FROM customer_match_keys")
        try connection.withStatement("""
            SELECT id, name, vat_number, business_id, country, email, website, phone FROM customers WHERE deleted = 0
            """) { statement in
            while try statement.step() {
                try insertMatchKeys(connection, matchKeys(statement, from: 1), customerID: statement.int64(0))
            }
        }
    }

    /// The keys of the row under `statement`, whose columns from `first` on are name, VAT number,
    /// business id, country, email, website and phone.
    private static func matchKeys(_ statement: SQLiteStatement, from first: Int32 = 0) -> [MatchKey] {
        MatchKey.keys(name: statement.text(first), vatNumber: statement.optionalText(first + 1),
                      businessID: statement.optionalText(first + 2), country: statement.optionalText(first + 3),
                      email: statement.optionalText(first + 4), website: statement.optionalText(first + 5),
                      phone: statement.optionalText(first + 6))
    }

    /// A new customer's keys (`matchKeys(of:)` of the fields its row was just written with: the
    /// same values `storeMatchKeys` would read back; a new id has no keys to replace: ids are
    /// never reused).
    static func storeNewMatchKeys(_ connection: SQLiteConnection, customerID: Int64, _ keys: [MatchKey]) throws {
        try insertMatchKeys(connection, keys, customerID: customerID)
    }

    /// An updated customer's keys, from its fields before and after the update (the values its row
    /// was just written with), not read back as `storeMatchKeys` does. Keys that come out the same
    /// are left as they are: most updates change no field a key is made of (callgrind of `run
    /// update`: the DELETE, the read-back and the INSERT cost an update ~40 000 instructions).
    static func storeUpdatedMatchKeys(_ connection: SQLiteConnection, customerID: Int64, from old: StoredCustomerFields,
                                      to new: StoredCustomerFields) throws {
        let keys = matchKeys(of: new)
        guard keys != matchKeys(of: old) else { return }
        try connection.run("DELETE FROM customer_match_keys WHERE customer_id = ?", [.integer(customerID)])
        try insertMatchKeys(connection, keys, customerID: customerID)
    }

    static func matchKeys(of fields: StoredCustomerFields) -> [MatchKey] {
        MatchKey.keys(name: fields.name, vatNumber: fields.vatNumber, businessID: fields.businessID,
                      country: fields.country, email: fields.email, website: fields.website, phone: fields.phone)
    }

    private static func insertMatchKeys(_ connection: SQLiteConnection, _ keys: [MatchKey], customerID: Int64) throws {
        var rows = BoundRows(width: insertKeys.valueCount)
        appendKeyRows(keys, customerID: customerID, to: &rows)
        try connection.insertRows(insertKeys, rows)
    }

    /// `insertKeys`' rows of a customer's keys.
    static func appendKeyRows(_ keys: [MatchKey], customerID: Int64, to rows: inout BoundRows) {
        for key in keys {
            rows.append(key.kind.rawValue)
            rows.append(key.key)
            rows.append(customerID)
        }
    }

    static let insertKeys = MultiRowInsert(
        "INSERT OR IGNORE", into: "customer_match_keys", columns: ["kind", "key", "customer_id"])
}
