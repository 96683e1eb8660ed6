import SQLiteEngine

/// The SELECTs that read contacts with their labels, and their decoding (user names through ``UserNames``).
@usableFromInline enum ContactRow {
    private static let columnList = """
        k.id, k.customer_id, k.first_name, k.last_name, k.title, k.email, k.phone, k.mobile, k.language,
        k.notes, k.active, k.deleted, k.version, k.created_at, k.created_by, k.updated_at, k.updated_by
        """
    private static let select = "SELECT \(columnList) FROM contacts k"
    private static let byID = select + " WHERE k.id = ?"
    /// A customer's live contacts in the list's order: by last name (the first name when there is
    /// none), then first name, both under NOCASE, then id; deactivated ones only when `?2` is 1. The
    /// order is the index `contacts_listed`'s (migration 21), so SQLite sorts nothing and a caller
    /// can write each row as it is stepped (docs/performance/HISTORY.md "card15"). `labelled` says whether a
    /// contact has a keyword or role (a probe of `contact_labels`' primary key), so the labels'
    /// statement runs only when one has: for the bench's card, whose contacts have none,
    /// `sqlite3_step` ~3 500 and the call path ~9 000 fewer instructions ("card10").
    static let byCustomer = """
        SELECT \(columnList), EXISTS (SELECT 1 FROM contact_labels cl WHERE cl.contact_id = k.id) AS labelled
        FROM contacts k WHERE k.customer_id = ?1 AND k.deleted = 0 AND (k.active = 1 OR ?2)
        ORDER BY coalesce(k.last_name, k.first_name) COLLATE NOCASE, k.first_name COLLATE NOCASE, k.id
        """
    /// The labels of a customer's contacts, each contact's sorted by name.
    private static let labelsOfCustomer = """
        SELECT cl.contact_id, l.kind, l.name FROM contacts k
        JOIN contact_labels cl ON cl.contact_id = k.id JOIN labels l ON l.id = cl.label_id
        WHERE k.customer_id = ? ORDER BY l.name, l.id
        """

    /// The earliest live, active contact of each customer whose id `?1` lists as a JSON array.
    private static let firstContactsOf = select + """
         WHERE k.id IN (SELECT min(id) FROM contacts
                        WHERE customer_id IN (SELECT value FROM json_each(?1)) AND deleted = 0 AND active = 1
                        GROUP BY customer_id)
        """

    /// The first contact of each of `customerIDs`, by customer id, with its keywords and roles
    /// (for exports): two queries whatever their number.
    static func firstContacts(_ connection: SQLiteConnection, customerIDs: [Int64]) throws -> [Int64: StoredContact] {
        let users = UserNames(connection)
        var found = try connection.withStatement(firstContactsOf) { statement in
            try statement.bind([.text(AddressRow.jsonArray(customerIDs))])
            var found: [Int64: StoredContact] = [:]
            try statement.forEachRow(Columns.self) { columns in
                let contact = try decode(statement, columns, users: users)
                found[contact.customerID] = contact
            }
            return found
        }
        guard !found.isEmpty else { return found }
        let customers = Dictionary(uniqueKeysWithValues: found.values.map { ($0.id, $0.customerID) })
        try labels(connection, """
            SELECT cl.contact_id, l.kind, l.name FROM contact_labels cl JOIN labels l ON l.id = cl.label_id
            WHERE cl.contact_id IN (SELECT value FROM json_each(?)) ORDER BY l.name, l.id
            """, key: .text(AddressRow.jsonArray(Array(customers.keys)))) { contactID, kind, name in
            if let customerID = customers[contactID] { found[customerID]?.add(kind, name) }
        }
        return found
    }

    /// The columns `decode` reads, found by name once per prepared statement.
    @usableFromInline struct Columns: ColumnLayout {
        @usableFromInline let id, customerID, firstName, lastName, title, email, phone, mobile, language, notes, active, deleted, version,
            createdAt, createdBy, updatedAt, updatedBy: Column

        @usableFromInline init(resolving statement: SQLiteStatement) throws {
            func column(_ name: String) throws -> Column { try statement.column(name) }
            (id, customerID, firstName, lastName) = (try column("id"), try column("customer_id"), try column("first_name"),
                                                     try column("last_name"))
            (title, email, phone, mobile, language) = (try column("title"), try column("email"), try column("phone"),
                                                       try column("mobile"), try column("language"))
            (notes, active, deleted, version) = (try column("notes"), try column("active"), try column("deleted"),
                                                 try column("version"))
            (createdAt, createdBy) = (try column("created_at"), try column("created_by"))
            (updatedAt, updatedBy) = (try column("updated_at"), try column("updated_by"))
        }
    }

    /// The columns of `byCustomer`: a contact's, and whether it has labels.
    private struct ListedColumns: ColumnLayout {
        let contact: Columns
        let labelled: Column

        init(resolving statement: SQLiteStatement) throws {
            (contact, labelled) = (try Columns(resolving: statement), try statement.column("labelled"))
        }
    }

    /// The columns of the label queries.
    private struct LabelColumns: ColumnLayout {
        let contactID, kind, name: Column

        init(resolving statement: SQLiteStatement) throws {
            (contactID, kind, name) = (try statement.column("contact_id"), try statement.column("kind"), try statement.column("name"))
        }
    }

    private static func decode(_ statement: SQLiteStatement, _ c: Columns, users: UserNames) throws -> StoredContact {
        StoredContact(
            id: try statement.int64(c.id), customerID: try statement.int64(c.customerID),
            firstName: try statement.optionalText(c.firstName), lastName: try statement.optionalText(c.lastName),
            title: try statement.optionalText(c.title), email: try statement.optionalText(c.email),
            phone: try statement.optionalText(c.phone), mobile: try statement.optionalText(c.mobile),
            language: try statement.optionalText(c.language), notes: try statement.optionalText(c.notes),
            active: try statement.bool(c.active), deleted: try statement.bool(c.deleted),
            version: try statement.int64(c.version), createdAt: .init(milliseconds: try statement.int64(c.createdAt)),
            createdBy: try users.ref(statement, c.createdBy),
            updatedAt: .init(milliseconds: try statement.int64(c.updatedAt)),
            updatedBy: try users.ref(statement, c.updatedBy))
    }

    /// One contact (a tombstone when deleted) with its labels, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64) throws -> StoredContact? {
        let users = UserNames(connection)
        let found = try connection.withStatement(byID) { statement in
            try statement.bind(id, at: 1)
            return try statement.nextRow(Columns.self).map { try decode(statement, $0, users: users) }
        }
        guard var contact = found else { return nil }
        try attachLabels(connection, to: &contact)
        return contact
    }

    /// A customer's contacts with their labels, in the list's order (see `byCustomer`): one query
    /// whatever their number, and a second for the labels when one of them has any.
    /// - Parameter users: the read's user names, when it reads more rows than these.
    static func fetchAll(_ connection: SQLiteConnection, customerID: Int64, includeDeactivated: Bool,
                         users: UserNames? = nil) throws -> [StoredContact] {
        let users = UserNames.of(connection, sharing: users)
        var labelled = false
        var contacts = try connection.withStatement(byCustomer) { statement in
            try statement.bind([.integer(customerID), .integer(includeDeactivated ? 1 : 0)])
            var contacts: [StoredContact] = []
            try statement.forEachRow(ListedColumns.self) { columns in
                contacts.append(try decode(statement, columns.contact, users: users))
                if try statement.bool(columns.labelled) { labelled = true }
            }
            return contacts
        }
        // In the same read transaction as the contacts, so the labels are those of the same snapshot.
        guard labelled else { return contacts }
        let positions = Dictionary(uniqueKeysWithValues: contacts.enumerated().map { ($0.element.id, $0.offset) })
        try labels(connection, labelsOfCustomer, key: .integer(customerID)) { contactID, kind, name in
            if let position = positions[contactID] { contacts[position].add(kind, name) }
        }
        return contacts
    }

    /// A customer's live, active contacts as `fetchAll` lists them, each row lent to `body` in the
    /// list's order as it is stepped instead of decoded into a record. The labels are read (once,
    /// in the same snapshot, while the contacts' statement stands on its row) only when a contact
    /// has any.
    static func list(_ connection: SQLiteConnection, customerID: Int64, users: UserNames,
                     lending body: (ContactListingRow) throws -> Void) throws {
        var labelsByContact: [Int64: (keywords: [String], roles: [String])]?
        try connection.withStatement(byCustomer) { statement in
            try statement.bind([.integer(customerID), .integer(0)])
            try statement.forEachRow(ListedColumns.self) { columns in
                var labels: (keywords: [String], roles: [String])?
                if try statement.bool(columns.labelled) {
                    if labelsByContact == nil { labelsByContact = try Self.labels(connection, ofCustomer: customerID) }
                    labels = labelsByContact?[try statement.int64(columns.contact.id)]
                }
                try body(ContactListingRow(statement: statement, columns: columns.contact, users: users,
                                           keywords: labels?.keywords ?? [], roles: labels?.roles ?? []))
            }
        }
    }

    /// The keywords and roles of a customer's contacts, by contact id, each sorted by name.
    private static func labels(_ connection: SQLiteConnection, ofCustomer customerID: Int64) throws
        -> [Int64: (keywords: [String], roles: [String])] {
        var found: [Int64: (keywords: [String], roles: [String])] = [:]
        try labels(connection, labelsOfCustomer, key: .integer(customerID)) { contactID, kind, name in
            switch kind {
            case .keyword: found[contactID, default: ([], [])].keywords.append(name)
            case .role: found[contactID, default: ([], [])].roles.append(name)
            }
        }
        return found
    }

    /// Loads one contact's keywords and roles, sorted by name.
    static func attachLabels(_ connection: SQLiteConnection, to contact: inout StoredContact) throws {
        contact.keywords = []
        contact.roles = []
        var loaded = contact
        try labels(connection, """
            SELECT cl.contact_id, l.kind, l.name FROM contact_labels cl JOIN labels l ON l.id = cl.label_id
            WHERE cl.contact_id = ? ORDER BY l.name, l.id
            """, key: .integer(contact.id)) { _, kind, name in loaded.add(kind, name) }
        contact = loaded
    }

    private static func labels(_ connection: SQLiteConnection, _ sql: String, key: SQLValue,
                               _ body: (Int64, LabelKind, String) -> Void) throws {
        try connection.withStatement(sql) { statement in
            try statement.bind(key, at: 1)
            try statement.forEachRow(LabelColumns.self) { columns in
                let contactID = try statement.int64(columns.contactID)
                if let kind = LabelKind(rawValue: try statement.text(columns.kind)) { body(contactID, kind, try statement.text(columns.name)) }
            }
        }
    }
}

extension StoredContact {
    fileprivate mutating func add(_ kind: LabelKind, _ name: String) {
        switch kind {
        case .keyword: keywords.append(name)
        case .role: roles.append(name)
        }
    }
}
