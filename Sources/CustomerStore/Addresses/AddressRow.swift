import SQLiteEngine

/// The SELECT that reads addresses, and its decoding (user names through ``UserNames``).
///
/// The column list takes a table alias so the customer point read can fold the head office into
/// its own statement (one extra rowid lookup instead of a second query); each column is named
/// after that alias (`ho_city`), so it never shares a name with the customer's own.
@usableFromInline enum AddressRow {
    /// The columns `decode` reads, found by name once per prepared statement; for one table alias
    /// (`ho_city`), as `columns(_:)` names them.
    @usableFromInline struct Columns: ColumnLayout {
        @usableFromInline let id, customerID, street1, street2, street3, postalCode, city, region, country, kind, isHeadOffice,
            version, createdAt, createdBy, updatedAt, updatedBy: Column

        /// The plain `select`'s columns (alias `a`).
        @usableFromInline init(resolving statement: SQLiteStatement) throws {
            try self.init(resolving: statement, alias: "a")
        }

        init(resolving statement: SQLiteStatement, alias a: String) throws {
            func column(_ name: String) throws -> Column { try statement.column("\(a)_\(name)") }
            (id, customerID, street1, street2, street3) = (try column("id"), try column("customer_id"), try column("street1"),
                                                           try column("street2"), try column("street3"))
            (postalCode, city, region, country, kind) = (try column("postal_code"), try column("city"), try column("region"),
                                                         try column("country"), try column("kind"))
            (isHeadOffice, version, createdAt, createdBy) = (try column("is_head_office"), try column("version"),
                                                             try column("created_at"), try column("created_by"))
            (updatedAt, updatedBy) = (try column("updated_at"), try column("updated_by"))
        }
    }

    /// The columns of the address aliased `a`, named as `Columns(a)` says; `headOffice` is the
    /// head office's id (by default the customer's, which needs the customer aliased `c`).
    static func columns(_ a: String, headOffice: String = "c.head_office_address_id") -> String {
        """
        \(a).id AS \(a)_id, \(a).customer_id AS \(a)_customer_id, \(a).street1 AS \(a)_street1, \
        \(a).street2 AS \(a)_street2, \(a).street3 AS \(a)_street3, \(a).postal_code AS \(a)_postal_code, \
        \(a).city AS \(a)_city, \(a).region AS \(a)_region, \(a).country AS \(a)_country, \(a).kind AS \(a)_kind, \
        \(a).id IS \(headOffice) AS \(a)_is_head_office, \(a).version AS \(a)_version, \
        \(a).created_at AS \(a)_created_at, \(a).created_by AS \(a)_created_by, \
        \(a).updated_at AS \(a)_updated_at, \(a).updated_by AS \(a)_updated_by
        """
    }

    static let select = """
        SELECT \(columns("a")) FROM addresses a JOIN customers c ON c.id = a.customer_id
        """
    static let byID = select + " WHERE a.id = ?"
    /// A customer's addresses by id, in the order of the index `addresses_by_customer`
    /// (customer_id, id), so without a sorter; `fetchAll` puts the head office first. Ordering
    /// by "is head office" in SQL made SQLite sort the rows in a temporary B-tree, which cost
    /// more than reading them (callgrind).
    static let byCustomer = select + " WHERE a.customer_id = ? ORDER BY a.id"
    /// A customer's addresses but its head office (`?2`, which the caller has read already), by
    /// id as `byCustomer`: no join of `customers` per row (its head office is the parameter) and
    /// one row fewer to step and decode (the card, docs/performance/HISTORY.md "card11").
    static let besideHeadOffice = """
        SELECT \(columns("a", headOffice: "?2")) FROM addresses a WHERE a.customer_id = ?1 AND a.id IS NOT ?2 ORDER BY a.id
        """

    /// The head offices of the customers whose ids `?1` lists as a JSON array (one statement for a
    /// whole batch of an export, cached like any other).
    static let headOfficesOf = select + " WHERE a.id = c.head_office_address_id AND c.id IN (SELECT value FROM json_each(?1))"

    /// Decodes the columns of `names`; nil when they are NULL (no address).
    static func decode(_ statement: SQLiteStatement, _ names: Columns, users: UserNames) throws -> StoredAddress? {
        guard let id = try statement.optionalInt64(names.id) else { return nil }
        let customerID = try statement.int64(names.customerID)
        // Appended to one array: a literal of the three optionals and its `compactMap` were two
        // allocations an address (a card decodes two, docs/performance/HISTORY.md "card21").
        var street: [String] = []
        if let line = try statement.optionalText(names.street1) { street.append(line) }
        if let line = try statement.optionalText(names.street2) { street.append(line) }
        if let line = try statement.optionalText(names.street3) { street.append(line) }
        return StoredAddress(
            id: id, customerID: customerID, street: street,
            postalCode: try statement.optionalText(names.postalCode), city: try statement.optionalText(names.city),
            region: try statement.optionalText(names.region), country: try statement.text(names.country),
            kind: AddressKind(storedText: try statement.textBytes(names.kind)),
            isHeadOffice: try statement.bool(names.isHeadOffice), version: try statement.int64(names.version),
            createdAt: .init(milliseconds: try statement.int64(names.createdAt)),
            createdBy: try users.ref(statement, names.createdBy),
            updatedAt: .init(milliseconds: try statement.int64(names.updatedAt)),
            updatedBy: try users.ref(statement, names.updatedBy))
    }

    /// Reads one address by id, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64) throws -> StoredAddress? {
        let users = UserNames(connection)
        return try connection.withStatement(byID) { statement in
            try statement.bind(id, at: 1)
            return try statement.nextRow(Columns.self).flatMap { try decode(statement, $0, users: users) }
        }
    }

    /// The head offices of `customerIDs`, by customer id (a customer without addresses is absent).
    static func headOffices(_ connection: SQLiteConnection, customerIDs: [Int64]) throws -> [Int64: StoredAddress] {
        let users = UserNames(connection)
        return try connection.withStatement(headOfficesOf) { statement in
            try statement.bind([.text(jsonArray(customerIDs))])
            var found: [Int64: StoredAddress] = [:]
            try statement.forEachRow(Columns.self) { columns in
                if let address = try decode(statement, columns, users: users) { found[address.customerID] = address }
            }
            return found
        }
    }

    /// `[1,2,3]`: ids for `json_each`, so one prepared statement serves any number of them.
    static func jsonArray(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    /// A customer's addresses, head office first, then by id.
    /// - Parameter users: the read's user names, when it reads more rows than these.
    static func fetchAll(_ connection: SQLiteConnection, customerID: Int64,
                         users: UserNames? = nil) throws -> [StoredAddress] {
        let users = UserNames.of(connection, sharing: users)
        var addresses = try connection.withStatement(byCustomer) { statement in
            try statement.bind(customerID, at: 1)
            var addresses: [StoredAddress] = []
            try statement.forEachRow(Columns.self) { columns in
                if let address = try decode(statement, columns, users: users) { addresses.append(address) }
            }
            return addresses
        }
        // By id already; a customer has one head office at most.
        if let headOffice = addresses.firstIndex(where: \.isHeadOffice), headOffice > 0 {
            addresses.insert(addresses.remove(at: headOffice), at: 0)
        }
        return addresses
    }

    /// The addresses of a customer whose head office was read in this transaction (with the
    /// customer): the same list as `fetchAll(_:customerID:users:)`, the head office taken as read
    /// rather than read again. The schema's triggers keep a head office among its customer's own
    /// addresses; one that were not would be left out and every address read, as `fetchAll` would.
    static func fetchAll(_ connection: SQLiteConnection, customerID: Int64, headOffice: consuming StoredAddress?,
                         users: UserNames) throws -> [StoredAddress] {
        // Tested in place, not as `headOffice.flatMap { … ? $0 : nil }`: that made a copy of the
        // address (its texts retained) which the array then copied again
        // (docs/performance/HISTORY.md "card30").
        var ownHeadOfficeID: Int64?
        if case .some(let office) = headOffice, office.customerID == customerID { ownHeadOfficeID = office.id }
        // Room for the usual few reserved: a one-element literal of the head office grew (an
        // allocation, the head office copied and the first storage released) at the second
        // address (docs/performance/HISTORY.md "card29"). The head office moved in, not copied:
        // the array is filled here rather than in the statement's closure, which could only
        // copy it (docs/performance/HISTORY.md "card31").
        var addresses: [StoredAddress] = []
        addresses.reserveCapacity(4)
        if ownHeadOfficeID != nil, case .some(let office) = consume headOffice { addresses.append(office) }
        try connection.withStatement(besideHeadOffice) { statement in
            try statement.bind([.integer(customerID), ownHeadOfficeID.map { .integer($0) } ?? .null])
            try statement.forEachRow(Columns.self) { columns in
                if let address = try decode(statement, columns, users: users) { addresses.append(address) }
            }
        }
        return addresses
    }
}
