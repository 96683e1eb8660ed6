import Foundation

extension CustomerStore {
    /// Creates a customer (version 1, active) in one transaction.
    ///
    /// - Throws: `invalidArgument` listing every invalid field (nothing written); `alreadyExists`
    ///   on field `number`; `failedPrecondition` when `userID` is not a user.
    public func createCustomer(_ new: NewCustomer, by userID: Int64) throws -> Customer {
        let (fields, violations) = CustomerValidator.validate(new)
        return try write { connection in
            try checkReferences(connection, fields: fields, managerChanged: true, violations: violations, by: userID)
            let id = try insert(connection, fields, by: userID)
            return try requireCustomer(connection, id: id)
        }
    }

    /// Creates many customers in ONE transaction (bulk import, seeding benchmarks and tests): all
    /// are created or, on the first invalid one, none. Returns their ids in input order.
    @discardableResult
    public func createCustomers(_ batch: [NewCustomer], by userID: Int64) throws -> [Int64] {
        try write { connection in
            var ids: [Int64] = []
            ids.reserveCapacity(batch.count)
            for new in batch {
                let (fields, violations) = CustomerValidator.validate(new)
                try checkReferences(connection, fields: fields, managerChanged: true,
                                    violations: violations, by: userID)
                ids.append(try insert(connection, fields, by: userID))
            }
            return ids
        }
    }

    /// The customer with this id. - Throws: `notFound`.
    public func customer(id: Int64) throws -> Customer {
        guard let customer = try readOne({ try CustomerRow.fetch($0, CustomerRow.byID, key: id) }) else {
            throw StoreError.notFound("customer \(id) does not exist")
        }
        return customer
    }

    /// The customer with this customer number. - Throws: `notFound`.
    public func customer(number: Int64) throws -> Customer {
        guard let customer = try readOne({ try CustomerRow.fetch($0, CustomerRow.byNumber, key: number) }) else {
            throw StoreError.notFound("no customer has number \(number)")
        }
        return customer
    }

    /// Changes the given fields only, in one transaction; version +1, updated at/by set.
    ///
    /// - Parameter expectedVersion: when given and the stored version differs, the call is refused
    ///   with `aborted` and nothing changes (optimistic concurrency).
    /// - Throws: `notFound`, `aborted`, `invalidArgument` (all invalid fields), `alreadyExists` (number).
    public func updateCustomer(id: Int64, _ changes: CustomerChanges, expectedVersion: Int64?,
                               by userID: Int64) throws -> Customer {
        try write { connection in
            let current = try currentCustomer(connection, id: id, expectedVersion: expectedVersion)
            let (fields, violations) = CustomerValidator.apply(changes, to: CustomerRow.fields(of: current))
            try checkReferences(connection, fields: fields, managerChanged: changes.accountManagerID != nil,
                                violations: violations, by: userID)
            let number = fields.number ?? current.number
            try connection.run("""
                UPDATE customers SET number = ?, name = ?, name_key = ?, search_text = ?, account_manager_id = ?,
                    description = ?, vat_number = ?, country = ?, industry = ?, email = ?, website = ?, phone = ?,
                    version = version + 1, updated_at = ?, updated_by = ?
                WHERE id = ?
                """, Self.values(of: fields, number: number) + [
                    .integer(nextUpdatedAt(after: current.updatedAt)), .integer(userID), .integer(id),
                ])
            try advanceNumberSequence(connection, past: number)
            let updated = try requireCustomer(connection, id: id)
            try HistoryLog.append(connection, .customer, id: id, customerID: id, .updated,
                                  at: updated.updatedAt.milliseconds, by: userID,
                                  changes: HistoryLog.changes(from: current.historyValues, to: updated.historyValues))
            return updated
        }
    }

    /// Activates or deactivates a customer; a write like any other (version +1, updated at/by).
    /// - Throws: `notFound`, `aborted` on a stale `expectedVersion`, `failedPrecondition` for an unknown user.
    public func setCustomerActive(id: Int64, _ active: Bool, expectedVersion: Int64?, by userID: Int64) throws -> Customer {
        try write { connection in
            let current = try currentCustomer(connection, id: id, expectedVersion: expectedVersion)
            try checkReferences(connection, fields: nil, managerChanged: false, violations: [], by: userID)
            let now = nextUpdatedAt(after: current.updatedAt)
            try connection.run("""
                UPDATE customers SET active = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?
                """, [.integer(active ? 1 : 0), .integer(now), .integer(userID), .integer(id)])
            try HistoryLog.append(connection, .customer, id: id, customerID: id, active ? .activated : .deactivated,
                                  at: now, by: userID, changes: HistoryLog.activeChange(from: current.active, to: active))
            return try requireCustomer(connection, id: id)
        }
    }

    /// Deletes a customer for good, with its addresses (and the tombstones of deleted contacts).
    /// Its number is never handed out again; its history stays, ending with a `deleted` entry.
    /// - Throws: `notFound`; `failedPrecondition` while it has contacts or activities (deactivate
    ///   it instead, or remove them first).
    public func deleteCustomer(id: Int64, by userID: Int64) throws {
        try write { connection in
            try Self.requireActingUser(connection, userID)
            try refuseDeletionWhileReferenced(connection, id: id)
            try connection.run("DELETE FROM customers WHERE id = ?", [.integer(id)])
            if connection.changes == 0 { throw StoreError.notFound("customer \(id) does not exist") }
            try HistoryLog.append(connection, .customer, id: id, customerID: id, .deleted, at: nowMilliseconds(),
                                  by: userID)
        }
    }

    /// Live contacts and activities are history a customer must keep: deleting it is refused, saying how many.
    private func refuseDeletionWhileReferenced(_ connection: SQLiteConnection, id: Int64) throws {
        let (contacts, activities) = try connection.withStatement("""
            SELECT (SELECT count(*) FROM contacts WHERE customer_id = ?1 AND deleted = 0),
                   (SELECT count(*) FROM activities WHERE customer_id = ?1)
            """) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? (statement.int64(0), statement.int64(1)) : (0, 0)
        }
        let held = [(contacts, "contact", "contacts"), (activities, "activity", "activities")]
            .filter { $0.0 > 0 }
            .map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }
        if !held.isEmpty {
            throw StoreError.failedPrecondition("customer \(id) has \(held.joined(separator: " and ")): "
                + "deactivate it instead, or remove them first")
        }
    }

    // MARK: Writing helpers

    /// Inserts validated fields, taking the next number from the sequence when none was given.
    private func insert(_ connection: SQLiteConnection, _ fields: CustomerFields, by userID: Int64) throws -> Int64 {
        let number = try fields.number ?? nextNumber(connection)
        let now = nowMilliseconds()
        try connection.run("""
            INSERT INTO customers (number, name, name_key, search_text, account_manager_id, description, vat_number,
                country, industry, email, website, phone, active, version, created_at, created_by, updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?)
            """, Self.values(of: fields, number: number) + [
                .integer(now), .integer(userID), .integer(now), .integer(userID),
            ])
        let id = connection.lastInsertRowID
        try advanceNumberSequence(connection, past: number)
        try HistoryLog.append(connection, .customer, id: id, customerID: id, .created, at: now, by: userID)
        return id
    }

    /// The bound values of the columns `number` ... `phone`, in table order.
    private static func values(of fields: CustomerFields, number: Int64) -> [SQLValue] {
        [
            .integer(number), .text(fields.name), .text(SearchKey.fold(fields.name)),
            .text(SearchKey.searchText(of: fields, number: number)), SQLValue(fields.accountManagerID),
            SQLValue(fields.description), SQLValue(fields.vatNumber), SQLValue(fields.country), SQLValue(fields.industry),
            SQLValue(fields.email), SQLValue(fields.website), SQLValue(fields.phone),
        ]
    }

    /// The sequence's next number. It is at least every number ever used (see
    /// `advanceNumberSequence`), so it is free, and a deleted customer's number is never reused.
    private func nextNumber(_ connection: SQLiteConnection) throws -> Int64 {
        try connection.withStatement("SELECT last_number + 1 FROM customer_number_sequence WHERE singleton = 1") {
            try $0.step() ? $0.int64(0) : 10_001
        }
    }

    private func advanceNumberSequence(_ connection: SQLiteConnection, past number: Int64) throws {
        try connection.run("UPDATE customer_number_sequence SET last_number = max(last_number, ?) WHERE singleton = 1",
                           [.integer(number)])
    }

    /// The stored customer, refused when `expectedVersion` is given and stale.
    private func currentCustomer(_ connection: SQLiteConnection, id: Int64, expectedVersion: Int64?) throws -> Customer {
        let current = try requireCustomer(connection, id: id)
        try Self.checkVersion(expectedVersion, current: current.version, of: "customer \(id)")
        return current
    }

    private func requireCustomer(_ connection: SQLiteConnection, id: Int64) throws -> Customer {
        guard let customer = try CustomerRow.fetch(connection, CustomerRow.byID, key: id) else {
            throw StoreError.notFound("customer \(id) does not exist")
        }
        return customer
    }

    /// Checks what needs the database: the acting user exists, and a newly set account manager
    /// exists (added to the validator's violations, so all are reported together).
    private func checkReferences(_ connection: SQLiteConnection, fields: CustomerFields?, managerChanged: Bool,
                                 violations: [FieldViolation], by userID: Int64) throws {
        var violations = violations
        if managerChanged, let manager = fields?.accountManagerID, try !Self.userExists(connection, id: manager) {
            violations.append(FieldViolation(field: "accountManager", reason: "no user has id \(manager)"))
        }
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        try Self.requireActingUser(connection, userID)
    }
}

extension Customer {
    /// The fields the history compares, by API name, as text (the account manager by name).
    var historyValues: HistoryLog.Values {
        [("number", String(number)), ("name", name), ("accountManager", accountManager?.name),
         ("description", description), ("vatNumber", vatNumber), ("country", country), ("industry", industry),
         ("email", email), ("website", website), ("phone", phone)]
    }
}
