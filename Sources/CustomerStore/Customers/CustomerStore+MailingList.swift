import SQLiteEngine

extension CustomerStore {
    /// Calls `body` for every active, not deleted contact of an active customer, across all
    /// customers, that carries `keyword` and/or `role` (both given: both required), ordered by
    /// customer name, then customer, then contact id.
    ///
    /// Like `streamCustomers`, rows are read in keyset batches growing from 16 to 500, each in its own read
    /// transaction, and `body` runs between batches, so memory stays constant and a slow consumer
    /// holds no reader. A contact that qualifies throughout is delivered exactly once.
    ///
    /// - Parameter accountManagerID: when given, only customers this user is the account manager of
    ///   (a caller whose Customers right covers only its own customers).
    /// - Throws: `invalidArgument` when neither is given, or on field `keyword` / `role` naming an unknown label.
    public func mailingList(keyword: String?, role: String?, accountManagerID: Int64? = nil,
                            _ body: (StoredMailingListEntry) throws -> Void) throws {
        let keywords = [keyword.map(TextInput.canonical)].compactMap { $0 }.filter { !$0.isEmpty }
        let roles = [role.map(TextInput.canonical)].compactMap { $0 }.filter { !$0.isEmpty }
        guard !keywords.isEmpty || !roles.isEmpty else {
            throw StoreError.invalidArgument(["keyword", "role"].map {
                FieldViolation(field: $0, reason: "give a keyword, a role or both")
            })
        }
        let labelIDs = try read { connection in
            try Self.labelIDs(connection, keywords: keywords, roles: roles, fields: ("keyword", "role"), violations: [])
        }
        var position: MailingListPosition?
        var batches = StreamBatches()
        while true {
            let limit = batches.next
            let batch = try read {
                try Self.mailingListBatch($0, labelIDs: labelIDs, accountManagerID: accountManagerID, after: position,
                                          limit: limit)
            }
            for entry in batch.entries { try body(entry) }
            guard batch.entries.count == limit, let last = batch.last else { return }
            position = last
            batches.grow()
        }
    }

    /// Where a mailing-list batch ended: the keyset of its last row.
    private struct MailingListPosition {
        var nameKey: String
        var customerID: Int64
        var contactID: Int64
    }

    /// One batch of at most `limit` rows after `position`. Driven by the customers' (active, name_key, id) index, so rows
    /// come in order without a sort, and the keyset condition makes each batch start where the
    /// previous one ended.
    private static func mailingListBatch(_ connection: SQLiteConnection, labelIDs: [Int64], accountManagerID: Int64?,
                                         after position: MailingListPosition?, limit: Int)
        throws -> (entries: [StoredMailingListEntry], last: MailingListPosition?) {
        var sql = """
            SELECT k.id AS contact_id, k.first_name, k.last_name, k.email AS contact_email, c.id AS customer_id,
                   c.name AS customer_name, c.email AS customer_email, c.name_key
            FROM customers c
            JOIN contacts k ON k.customer_id = c.id
            """
        var values: [SQLValue] = []
        for (index, label) in labelIDs.enumerated() {
            sql += " JOIN contact_labels l\(index) ON l\(index).contact_id = k.id AND l\(index).label_id = ?"
            values.append(.integer(label))
        }
        sql += " WHERE c.active = 1 AND k.active = 1 AND k.deleted = 0"
        if let accountManagerID {
            sql += " AND c.account_manager_id = ?"
            values.append(.integer(accountManagerID))
        }
        if let position {
            sql += " AND (c.name_key, c.id, k.id) > (?, ?, ?)"
            values += [.text(position.nameKey), .integer(position.customerID), .integer(position.contactID)]
        }
        sql += " ORDER BY c.name_key, c.id, k.id LIMIT ?"
        values.append(.integer(Int64(limit)))
        return try connection.withStatement(sql) { statement in
            try statement.bind(values)
            var entries: [StoredMailingListEntry] = []
            var last: MailingListPosition?
            while try statement.step() {
                let entry = StoredMailingListEntry(
                    contactID: try statement.int64("contact_id"), firstName: try statement.optionalText("first_name"),
                    lastName: try statement.optionalText("last_name"), email: try statement.optionalText("contact_email"),
                    customerID: try statement.int64("customer_id"), customerName: try statement.text("customer_name"),
                    customerEmail: try statement.optionalText("customer_email"))
                entries.append(entry)
                last = MailingListPosition(nameKey: try statement.text("name_key"), customerID: entry.customerID,
                                           contactID: entry.contactID)
            }
            return (entries, last)
        }
    }
}
