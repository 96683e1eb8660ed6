import SQLiteEngine

/// The SELECTs that read contacts with their users' names and labels, and their decoding.
enum ContactRow {
    private static let select = """
        SELECT k.id, k.customer_id, k.first_name, k.last_name, k.title, k.email, k.phone, k.mobile, k.language,
               k.notes, k.active, k.deleted, k.version, k.created_at, k.created_by, cb.name AS created_by_name,
               k.updated_at, k.updated_by, ub.name AS updated_by_name
        FROM contacts k
        JOIN users cb ON cb.id = k.created_by
        JOIN users ub ON ub.id = k.updated_by
        """
    private static let byID = select + " WHERE k.id = ?"
    /// A customer's live contacts by name; deactivated ones only when `?2` is 1.
    private static let byCustomer = select + """
         WHERE k.customer_id = ?1 AND k.deleted = 0 AND (k.active = 1 OR ?2)
        ORDER BY coalesce(k.last_name, k.first_name) COLLATE NOCASE, k.first_name COLLATE NOCASE, k.id
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
        var found = try connection.withStatement(firstContactsOf) { statement in
            try statement.bind([.text(AddressRow.jsonArray(customerIDs))])
            var found: [Int64: StoredContact] = [:]
            while try statement.step() {
                let contact = try decode(statement)
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

    private static func decode(_ statement: SQLiteStatement) throws -> StoredContact {
        StoredContact(
            id: try statement.int64("id"), customerID: try statement.int64("customer_id"),
            firstName: try statement.optionalText("first_name"), lastName: try statement.optionalText("last_name"),
            title: try statement.optionalText("title"), email: try statement.optionalText("email"),
            phone: try statement.optionalText("phone"), mobile: try statement.optionalText("mobile"),
            language: try statement.optionalText("language"), notes: try statement.optionalText("notes"),
            active: try statement.bool("active"), deleted: try statement.bool("deleted"),
            version: try statement.int64("version"), createdAt: .init(milliseconds: try statement.int64("created_at")),
            createdBy: StoredUserRef(id: try statement.int64("created_by"), name: try statement.text("created_by_name")),
            updatedAt: .init(milliseconds: try statement.int64("updated_at")),
            updatedBy: StoredUserRef(id: try statement.int64("updated_by"), name: try statement.text("updated_by_name")))
    }

    /// One contact (a tombstone when deleted) with its labels, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64) throws -> StoredContact? {
        let found = try connection.withStatement(byID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? try decode(statement) : nil
        }
        guard var contact = found else { return nil }
        try attachLabels(connection, to: &contact)
        return contact
    }

    /// A customer's contacts with their labels: two queries whatever their number.
    static func fetchAll(_ connection: SQLiteConnection, customerID: Int64, includeDeactivated: Bool) throws -> [StoredContact] {
        var contacts = try connection.withStatement(byCustomer) { statement in
            try statement.bind([.integer(customerID), .integer(includeDeactivated ? 1 : 0)])
            var contacts: [StoredContact] = []
            while try statement.step() { contacts.append(try decode(statement)) }
            return contacts
        }
        guard !contacts.isEmpty else { return contacts }
        let positions = Dictionary(uniqueKeysWithValues: contacts.enumerated().map { ($0.element.id, $0.offset) })
        try labels(connection, """
            SELECT cl.contact_id, l.kind, l.name FROM contacts k
            JOIN contact_labels cl ON cl.contact_id = k.id JOIN labels l ON l.id = cl.label_id
            WHERE k.customer_id = ? ORDER BY l.name, l.id
            """, key: .integer(customerID)) { contactID, kind, name in
            if let position = positions[contactID] { contacts[position].add(kind, name) }
        }
        return contacts
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
            while try statement.step() {
                let contactID = try statement.int64("contact_id")
                if let kind = LabelKind(rawValue: try statement.text("kind")) { body(contactID, kind, try statement.text("name")) }
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
