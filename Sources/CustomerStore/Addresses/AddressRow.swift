/// The SELECT that reads addresses with their users' names, and its decoding.
///
/// The column list takes a table alias so the customer point read can fold the head office into
/// its own statement (one extra rowid lookup instead of a second query).
enum AddressRow {
    /// Number of columns `columns(_:)` yields.
    static let columnCount: Int32 = 18

    /// The columns of the address aliased `a`; needs the customer aliased `c` and the joins of `joins`.
    static func columns(_ a: String) -> String {
        """
        \(a).id, \(a).customer_id, \(a).street1, \(a).street2, \(a).street3, \(a).postal_code, \(a).city, \
        \(a).region, \(a).country, \(a).kind, \(a).id IS c.head_office_address_id, \(a).version, \(a).created_at, \
        \(a).created_by, \(a)_cb.name, \(a).updated_at, \(a).updated_by, \(a)_ub.name
        """
    }

    /// The joins of the address's creator and updater; LEFT when the address itself is optional.
    static func userJoins(_ a: String, outer: Bool) -> String {
        let join = outer ? "LEFT JOIN" : "JOIN"
        return "\(join) users \(a)_cb ON \(a)_cb.id = \(a).created_by \(join) users \(a)_ub ON \(a)_ub.id = \(a).updated_by"
    }

    static let select = """
        SELECT \(columns("a")) FROM addresses a JOIN customers c ON c.id = a.customer_id \(userJoins("a", outer: false))
        """
    static let byID = select + " WHERE a.id = ?"
    /// A customer's addresses, head office first, then by id.
    static let byCustomer = select + " WHERE a.customer_id = ? ORDER BY a.id IS c.head_office_address_id DESC, a.id"

    /// The head offices of the customers whose ids `?1` lists as a JSON array (one statement for a
    /// whole batch of an export, cached like any other).
    static let headOfficesOf = select + " WHERE a.id = c.head_office_address_id AND c.id IN (SELECT value FROM json_each(?1))"

    /// Decodes the `columnCount` columns starting at `offset`; nil when they are NULL (no address).
    static func decode(_ statement: SQLiteStatement, at offset: Int32 = 0) -> StoredAddress? {
        guard let id = statement.optionalInt64(offset) else { return nil }
        let street = [statement.optionalText(offset + 2), statement.optionalText(offset + 3),
                      statement.optionalText(offset + 4)].compactMap { $0 }
        return StoredAddress(
            id: id, customerID: statement.int64(offset + 1), street: street,
            postalCode: statement.optionalText(offset + 5), city: statement.optionalText(offset + 6),
            region: statement.optionalText(offset + 7), country: statement.text(offset + 8),
            kind: AddressKind(rawValue: statement.text(offset + 9)) ?? .visiting,
            isHeadOffice: statement.int64(offset + 10) != 0, version: statement.int64(offset + 11),
            createdAt: .init(milliseconds: statement.int64(offset + 12)),
            createdBy: StoredUserRef(id: statement.int64(offset + 13), name: statement.text(offset + 14)),
            updatedAt: .init(milliseconds: statement.int64(offset + 15)),
            updatedBy: StoredUserRef(id: statement.int64(offset + 16), name: statement.text(offset + 17)))
    }

    /// Reads one address by id, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64) throws -> StoredAddress? {
        try connection.withStatement(byID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? decode(statement) : nil
        }
    }

    /// The head offices of `customerIDs`, by customer id (a customer without addresses is absent).
    static func headOffices(_ connection: SQLiteConnection, customerIDs: [Int64]) throws -> [Int64: StoredAddress] {
        try connection.withStatement(headOfficesOf) { statement in
            try statement.bind([.text(jsonArray(customerIDs))])
            var found: [Int64: StoredAddress] = [:]
            while try statement.step() {
                if let address = decode(statement) { found[address.customerID] = address }
            }
            return found
        }
    }

    /// `[1,2,3]`: ids for `json_each`, so one prepared statement serves any number of them.
    static func jsonArray(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    /// A customer's addresses, head office first.
    static func fetchAll(_ connection: SQLiteConnection, customerID: Int64) throws -> [StoredAddress] {
        try connection.withStatement(byCustomer) { statement in
            try statement.bind(customerID, at: 1)
            var addresses: [StoredAddress] = []
            while try statement.step() {
                if let address = decode(statement) { addresses.append(address) }
            }
            return addresses
        }
    }
}
