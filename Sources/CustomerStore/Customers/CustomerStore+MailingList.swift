import SQLiteEngine

extension CustomerStore {
    /// Calls `body` for every active, not deleted contact of an active customer, across all
    /// customers, that carries `keyword` and/or `role` (both given: both required), ordered by
    /// customer name, then customer, then contact id.
    ///
    /// Like `streamCustomers` by name, the contacts' ids are read once at the start, in order
    /// (``StreamIDs``), and their rows in batches growing from 16 to 500, each in its own read
    /// transaction; `body` runs between batches, so a slow consumer holds no reader. A contact
    /// that qualifies at the start is delivered exactly once, in the start's order, as it is at its
    /// turn (its customer renamed meanwhile or not), unless it no longer qualifies by then.
    ///
    /// - Parameter accountManagerID: when given, only customers this user is the account manager of
    ///   (a caller whose Customers right covers only its own customers).
    /// - Parameter osUser: the OS user (uid) the list runs for, whose budget of id files it counts in
    ///   (``StreamIDBudget``); nil: the server's own.
    /// - Throws: `invalidArgument` when neither is given, or on field `keyword` / `role` naming an unknown label.
    public func mailingList(keyword: String?, role: String?, accountManagerID: Int64? = nil, osUser: UInt32?,
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
        let query = MailingListQuery(labelIDs: labelIDs, accountManagerID: accountManagerID)
        try streamInStartOrder(scan: query.idsSQLText(), osUser: osUser, rows: query.entries, body)
    }
}

/// The mailing list's SQL: its contacts' ids in its order (a stream's start, ``StreamIDs``), and
/// the entries of a batch of them.
struct MailingListQuery {
    /// The label joins and the conditions, after the FROM.
    private let rest: String
    private let values: [SQLValue]

    init(labelIDs: [Int64], accountManagerID: Int64?) {
        var sql = ""
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
        rest = sql
        self.values = values
    }

    /// The contacts' ids in the list's order, the start of a stream: driven by the customers'
    /// (active, name_key, id) index, so the ids come in order without a sort.
    func idsSQLText() -> (sql: String, values: [SQLValue]) {
        ("SELECT k.id FROM customers c JOIN contacts k ON k.customer_id = c.id" + rest + " ORDER BY c.name_key, c.id, k.id",
         values)
    }

    /// The SELECT of ``entries(_:ids:slots:)``: the contacts by rowid (`NOT INDEXED`, as
    /// ``CustomerRow/selectByRowid``), each one's customer by its primary key.
    func sqlText(ids: [Int64], slots: Int) -> (sql: String, values: [SQLValue]) {
        let members = StreamIDs.membership("k.id", ids: ids, slots: slots)
        let sql = """
            SELECT k.id AS contact_id, k.first_name, k.last_name, k.email AS contact_email, c.id AS customer_id,
                   c.name AS customer_name, c.email AS customer_email
            FROM contacts k NOT INDEXED JOIN customers c ON c.id = k.customer_id
            """ + rest + " AND " + members.condition
        return (sql, values + members.values)
    }

    /// The entries of the contacts `ids` that still qualify, in the order of `ids`; `slots`: see
    /// ``StreamIDs/membership(_:ids:slots:)``.
    func entries(_ connection: SQLiteConnection, ids: [Int64], slots: Int) throws -> [StoredMailingListEntry] {
        let (sql, values) = sqlText(ids: ids, slots: slots)
        var found: [Int64: StoredMailingListEntry] = [:]
        found.reserveCapacity(ids.count)
        try connection.withStatement(sql) { statement in
            try statement.bind(values)
            while try statement.step() {
                let entry = StoredMailingListEntry(
                    contactID: try statement.int64("contact_id"), firstName: try statement.optionalText("first_name"),
                    lastName: try statement.optionalText("last_name"), email: try statement.optionalText("contact_email"),
                    customerID: try statement.int64("customer_id"), customerName: try statement.text("customer_name"),
                    customerEmail: try statement.optionalText("customer_email"))
                found[entry.contactID] = entry
            }
        }
        return ids.compactMap { found[$0] }
    }
}
