import Foundation
import SQLiteEngine

extension CustomerStore {
    /// Creates a customer (version 1, active) in one transaction.
    ///
    /// - Parameter allowDuplicateVAT: the caller means to create a second customer with a VAT
    ///   number another customer already has.
    /// - Throws: `invalidArgument` listing every invalid field, the VAT number checked for the
    ///   country (nothing written); `alreadyExists` on field `number`, or on `vatNumber` naming the
    ///   customer that has it; `failedPrecondition` when the author is not a user.
    public func createCustomer(_ new: NewCustomer, allowDuplicateVAT: Bool = false, by author: Author) throws -> StoredCustomer {
        let prepared = prepare(new)
        // Every refusal comes before the customer's INSERT, the create's first change (see
        // `insertRecord`), or before it queues its rows, its last step (see `queueCreate`).
        let created = try write(checksFirst: true, joiningBatch: joinsCreateBatch(prepared.fields)) { connection in
            try insertOrQueue(connection, prepared, allowDuplicateVAT: allowDuplicateVAT, by: author)
        }
        return created.record(prepared.fields, by: author)
    }

    /// ``createCustomer(_:allowDuplicateVAT:by:)`` handed over to the writer: validated here, then
    /// written in its group while this thread goes on; `completion` gets the customer (or the
    /// refusal) after the COMMIT, on the thread that ran the group (see
    /// ``write(checksFirst:named:handingOff:then:)``: keep it short, never let it wait).
    public func createCustomer(_ new: NewCustomer, allowDuplicateVAT: Bool = false, by author: Author,
                               then completion: @escaping @Sendable (Result<StoredCustomer, any Error>) -> Void) {
        let prepared = prepare(new)
        // The record is made by the completion, after the COMMIT: off the writer's thread when
        // another group follows (`CreatedCustomer`).
        write(checksFirst: true, joiningBatch: joinsCreateBatch(prepared.fields), handingOff: { [self] connection in
            try insertOrQueue(connection, prepared, allowDuplicateVAT: allowDuplicateVAT, by: author)
        }, then: { result in
            completion(result.map { $0.record(prepared.fields, by: author) })
        })
    }

    /// Creates many customers in ONE transaction (bulk import, seeding benchmarks and tests): all
    /// are created or, on the first invalid one, none. Returns their ids in input order.
    @discardableResult
    public func createCustomers(_ batch: [NewCustomer], allowDuplicateVAT: Bool = false,
                                by author: Author) throws -> [Int64] {
        try write { connection in
            var ids: [Int64] = []
            ids.reserveCapacity(batch.count)
            for new in batch {
                ids.append(try insert(connection, prepare(new), allowDuplicateVAT: allowDuplicateVAT, by: author))
            }
            return ids
        }
    }

    /// The customer with this id. - Throws: `notFound`.
    public func customer(id: Int64) throws -> StoredCustomer {
        try withCustomer(id: id) { try $0.stored() }
    }

    /// The customer with this customer number. - Throws: `notFound`.
    public func customer(number: Int64) throws -> StoredCustomer {
        try withCustomer(number: number) { try $0.stored() }
    }

    /// The customer with this id lent to `body` as its row, head office included (see
    /// ``CustomerListingRow``): a server answering a get writes it out without a `StoredCustomer`.
    /// - Throws: `notFound` (or `merged`, naming the customer it went into).
    public func withCustomer<T>(id: Int64, _ body: (CustomerListingRow) throws -> T) throws -> T {
        do {
            return try readOne { try CustomerRow.withFoundRow($0, CustomerRow.byID, key: id, body) }
        } catch is CustomerRow.NoSuchRow {
            throw try readOne { try Self.missingCustomer($0, id: id, field: "id") }
        }
    }

    /// `withCustomer(id:_:)` for the customer with this customer number. - Throws: `notFound`.
    public func withCustomer<T>(number: Int64, _ body: (CustomerListingRow) throws -> T) throws -> T {
        do {
            return try readOne { try CustomerRow.withFoundRow($0, CustomerRow.byNumber, key: number, body) }
        } catch is CustomerRow.NoSuchRow {
            throw StoreError.notFound("no customer has number \(number)", field: "number")
        }
    }

    /// Changes the given fields only, in one transaction; version +1, updated at/by set. An update
    /// whose every given field equals the stored one once normalised writes nothing (no version, no
    /// history entry, no feed event) and returns the customer as it is.
    ///
    /// - Parameter expectedVersion: when given and the stored version differs, the call is refused
    ///   with `aborted` and nothing changes (optimistic concurrency).
    /// A new VAT number, or a new country, checks the VAT number for the customer's country (the
    /// new one when it changes, else the stored one) inside the transaction.
    /// - Parameter allowDuplicateVAT: the caller means to give the customer a VAT number another
    ///   customer already has.
    /// - Parameter managedBy: the user whose customer it must be when the update runs (a caller who
    ///   may edit only its own customers). The server checks that before the call, on a reader; an
    ///   administrator's change of account manager committed between that check and this write
    ///   would otherwise be undone by an update naming the caller, which took the customer back.
    /// - Throws: `notFound`, `aborted` (a stale version, or a customer no longer `managedBy`'s),
    ///   `invalidArgument` (all invalid fields), `alreadyExists` (number, or VAT number naming the
    ///   customer that has it).
    public func updateCustomer(id: Int64, _ changes: CustomerChanges, expectedVersion: Int64?,
                               allowDuplicateVAT: Bool = false, managedBy owner: Int64? = nil,
                               by author: Author) throws -> StoredCustomer {
        // Every refusal comes before the customer's UPDATE, the update's first change (see `update`).
        try write(checksFirst: true) { connection in
            let current = try currentCustomer(connection, id: id, expectedVersion: expectedVersion)
            if let owner, current.accountManager?.id != owner {
                throw StoreError.aborted("customer \(id) was given to another account manager after the call was checked; "
                                         + "nothing was changed", field: "id")
            }
            return try update(connection, current, changes, allowDuplicateVAT: allowDuplicateVAT, by: author)
        }
    }

    /// The update of `current` inside the caller's write transaction (shared with the registry refresh).
    /// Its first change is the customer's UPDATE, after every check (a number that is taken fails
    /// that statement alone): a refused update changes nothing, so `updateCustomer` needs no savepoint.
    func update(_ connection: SQLiteConnection, _ current: StoredCustomer, _ changes: CustomerChanges,
                allowDuplicateVAT: Bool, by author: Author) throws -> StoredCustomer {
        let stored = CustomerRow.fields(of: current)
        var (fields, violations) = CustomerValidator.apply(changes, to: stored)
        // A new country re-checks the stored number: it may not be valid (or canonical) there.
        if changes.vatNumber != nil || changes.country != nil {
            canonicaliseVATNumber(&fields, violations: &violations, vatNumberChanged: changes.vatNumber != nil)
        }
        let names = try checkReferences(connection, fields: fields, managerChanged: changes.accountManagerID != nil,
                                        violations: violations, by: author)
        if fields.vatNumber != current.vatNumber {
            try refuseDuplicateVATNumber(connection, fields.vatNumber, of: current.id, allowed: allowDuplicateVAT)
        }
        let number = fields.number ?? current.number
        let updatedAt = nextUpdatedAt(after: current.updatedAt)
        let updated = Self.updatedRecord(current, fields, number: number, names: names, at: updatedAt, by: author)
        // Every given field as stored (after the normalization above): the customer as it is.
        if HistoryLog.isUnchanged(from: current.historyValues, to: updated.historyValues) { return current }
        var values = BoundRows(width: 16)
        Self.appendValues(of: fields, number: number, industryID: names.industryID, search: nil, to: &values)
        values.append(updatedAt)
        values.append(author.userID)
        values.append(current.id)
        try connection.run("""
            UPDATE customers SET number = ?, name = ?, name_key = ?, search_text = ?, account_manager_id = ?,
                description = ?, vat_number = ?, country = ?,
                industry_id = ?, email = ?, website = ?, phone = ?,
                business_id = ?, version = version + 1, updated_at = ?, updated_by = ?
            WHERE id = ?
            """, values)
        if number != current.number { try retireNumber(connection, current.number) }
        try Self.storeUpdatedMatchKeys(connection, customerID: current.id, from: stored, to: fields)
        // The manager it had: a hand-off is told to the one it leaves (the row names the new one now).
        try HistoryLog.append(connection, .customer, id: current.id, customerID: current.id, .updated,
                              at: updated.updatedAt.milliseconds, by: author, manager: .was(current.accountManager?.id),
                              changes: HistoryLog.changes(from: current.historyValues, to: updated.historyValues))
        return updated
    }

    /// Activates or deactivates a customer; a write like any other (version +1, updated at/by).
    /// One already so is returned as it is, nothing written (as an update that changes nothing).
    /// - Throws: `notFound`, `aborted` on a stale `expectedVersion`, `failedPrecondition` for an unknown user.
    public func setCustomerActive(id: Int64, _ active: Bool, expectedVersion: Int64?, by author: Author) throws -> StoredCustomer {
        try write { connection in
            let current = try currentCustomer(connection, id: id, expectedVersion: expectedVersion)
            try checkReferences(connection, fields: nil, managerChanged: false, violations: [], by: author)
            let changes = HistoryLog.activeChange(from: current.active, to: active)
            if changes.isEmpty { return current }
            let now = nextUpdatedAt(after: current.updatedAt)
            try connection.run("""
                UPDATE customers SET active = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?
                """, [.integer(active ? 1 : 0), .integer(now), .integer(author.userID), .integer(id)])
            try HistoryLog.append(connection, .customer, id: id, customerID: id, active ? .activated : .deactivated,
                                  at: now, by: author, changes: changes)
            return try requireCustomer(connection, id: id)
        }
    }

    // MARK: Writing helpers

    /// Checks prepared fields (references, duplicate VAT number: `checkCreate`) and inserts them,
    /// taking the next number from the sequence when none was given.
    func insert(_ connection: SQLiteConnection, _ prepared: PreparedCustomer,
                allowDuplicateVAT: Bool, by author: Author) throws -> Int64 {
        try insertRecord(connection, prepared, allowDuplicateVAT: allowDuplicateVAT, by: author).id
    }

    /// `insert`, returning what the new record is made from (`CreatedCustomer`): the values just
    /// bound, not read back: the SELECT with its five joins cost a create ~40 000 instructions
    /// (callgrind), and a new row holds nothing the statement did not give it (no head office yet,
    /// defaults given explicitly), with the names of its users and industry as the checks read them.
    /// Its first change is the customer's INSERT, after every check (the number sequence moves
    /// after it): a refused create changes nothing, so `createCustomer` needs no savepoint.
    func insertRecord(_ connection: SQLiteConnection, _ prepared: PreparedCustomer,
                      allowDuplicateVAT: Bool, by author: Author) throws -> CreatedCustomer {
        let names = try checkCreate(connection, prepared, allowDuplicateVAT: allowDuplicateVAT, by: author)
        let fields = prepared.fields
        var sequence: CustomerNumberBlock?
        let number: Int64
        if let given = fields.number {
            number = given
        } else {
            var numbers = try CustomerNumberBlock(connection)
            number = try nextNumber(connection, from: &numbers)
            sequence = numbers
        }
        let now = nowMilliseconds()
        var row = BoundRows(width: Self.insertCustomers.valueCount)
        Self.appendInsertValues(of: fields, number: number, industryID: names.industryID, at: now, by: author,
                                search: prepared.search, to: &row)
        try connection.insertRows(Self.insertCustomers, row)
        let id = connection.lastInsertRowID
        try sequence?.finish(connection)
        let created = CreatedCustomer(id: id, number: number, at: now, names: names)
        try Self.writeCreated(connection, created, prepared, by: author)
        return created
    }

    /// A create's checks that read the database, in their order, before its first change (the
    /// fields' own checks and the VAT number made canonical came first, `prepare`): the references
    /// (account manager, industry, author) and a duplicate VAT number, also among the creates
    /// `batch` holds (`queueCreate`). - Returns: the names checked.
    func checkCreate(_ connection: SQLiteConnection, _ prepared: PreparedCustomer,
                     allowDuplicateVAT: Bool, by author: Author, queuedIn batch: CustomerCreateBatch? = nil) throws
        -> CheckedNames {
        let names = try checkReferences(connection, fields: prepared.fields, managerChanged: true,
                                        violations: prepared.violations, by: author, queuedIn: batch)
        try refuseDuplicateVATNumber(connection, prepared.fields.vatNumber, of: nil, allowed: allowDuplicateVAT,
                                     queuedIn: batch)
        return names
    }

    /// What follows a new customer's row: its match keys and its history entry listing its values.
    static func writeCreated(_ connection: SQLiteConnection, _ created: CreatedCustomer, _ prepared: PreparedCustomer,
                             by author: Author) throws {
        try storeNewMatchKeys(connection, customerID: created.id, prepared.matchKeys ?? matchKeys(of: prepared.fields))
        var entry = BoundRows(width: HistoryLog.insertEntries.valueCount)
        appendCreatedEntry(created, prepared, by: author, to: &entry)
        try HistoryLog.insert(connection, entry)
    }

    /// A new customer's record as its row was written: no head office yet, defaults as `insertCustomers` gives them.
    static func createdRecord(id: Int64, _ fields: StoredCustomerFields, number: Int64, names: CheckedNames,
                              at now: Int64, by author: Author) -> StoredCustomer {
        let stamp = Date(milliseconds: now), authorRef = StoredUserRef(id: author.userID, name: names.author)
        return StoredCustomer(
            id: id, number: number, name: fields.name,
            accountManager: names.accountManager,
            description: fields.description, vatNumber: fields.vatNumber, country: fields.country,
            industry: names.industry, email: fields.email, website: fields.website, phone: fields.phone,
            active: true, version: 1, createdAt: stamp, createdBy: authorRef, updatedAt: stamp, updatedBy: authorRef,
            businessID: fields.businessID)
    }

    /// The history entry of a new customer (`created`, of `prepared`'s fields), listing the values
    /// it was created with, appended to `rows` (`HistoryLog.insertEntries`' rows): the text of
    /// `HistoryLog.creation(record.historyValues)` of its record (`CreatedCustomer.record`), made
    /// mostly before the writer took the create (`PreparedCustomer.createdChanges`, as for an
    /// import's rows) and finished in the rows' buffer.
    static func appendCreatedEntry(_ created: CreatedCustomer, _ prepared: PreparedCustomer, by author: Author,
                                   to rows: inout BoundRows) {
        HistoryLog.appendRow(.customer, id: created.id, customerID: created.id, .created, at: created.at, by: author,
                             manager: created.names.accountManager?.id, to: &rows) { rows in
            rows.appendText { prepared.createdChanges.append(number: created.number, names: created.names, to: &$0) }
        }
    }

    /// `current` as the UPDATE of `update` left it, made from the values it bound rather than read
    /// back: the read (the customer with its users, industry and head office) cost an update
    /// ~40 000 instructions (callgrind). What the statement does not set (head office, registry
    /// status, created at/by, active) is as it was; the names are the ones the checks read: a new
    /// account manager's (a kept one's is `current`'s) and the industry's spelling as stored.
    static func updatedRecord(_ current: StoredCustomer, _ fields: StoredCustomerFields, number: Int64,
                              names: CheckedNames, at updatedAt: Int64, by author: Author) -> StoredCustomer {
        var updated = current
        updated.number = number
        updated.name = fields.name
        updated.accountManager = fields.accountManagerID.map { id in
            id == current.accountManager?.id ? current.accountManager : names.accountManager
        } ?? nil
        updated.description = fields.description
        updated.vatNumber = fields.vatNumber
        updated.country = fields.country
        updated.industry = names.industry
        updated.email = fields.email
        updated.website = fields.website
        updated.phone = fields.phone
        updated.businessID = fields.businessID
        updated.version = current.version + 1
        updated.updatedAt = Date(milliseconds: updatedAt)
        updated.updatedBy = StoredUserRef(id: author.userID, name: names.author)
        return updated
    }

    /// New customers' rows, bound to `appendInsertValues`; the id NULL lets SQLite choose it (a
    /// group's creates and a bulk import give their rows' ids, `CustomerCreateBatch`, `CustomerImporter`).
    static let insertCustomers = MultiRowInsert(
        into: "customers",
        columns: ["id", "number", "name", "name_key", "search_text", "account_manager_id", "description", "vat_number",
                  "country", "industry_id", "email", "website", "phone", "business_id", "active", "version", "created_at",
                  "created_by", "updated_at", "updated_by", "head_office_address_id"],
        row: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)")

    /// `insertCustomers`' values appended to `row`: the id, `appendValues`', the version, created
    /// at/by, updated at/by and the head office. Only an import gives a head office (its row's
    /// address, written in the same transaction with the triggers set aside,
    /// `CustomerImportTriggers`), with the version and update time its head office change would
    /// give it (`recordHeadOfficeChange`), as it writes no UPDATE for it.
    /// `search`: the fields' search parts when made already (`PreparedCustomer`).
    /// `industryID`: the industry the checks found for `fields.industry` (`CheckedNames.industryID`).
    static func appendInsertValues(of fields: StoredCustomerFields, number: Int64, industryID: Int64?, at now: Int64,
                                   by author: Author, id: Int64? = nil, version: Int64 = 1, updatedAt: Int64? = nil,
                                   headOffice: Int64? = nil, search: SearchKey.SearchParts?, to row: inout BoundRows) {
        row.append(id)
        appendValues(of: fields, number: number, industryID: industryID, search: search, to: &row)
        row.append(version)
        row.append(now)
        row.append(author.userID)
        row.append(updatedAt ?? now)
        row.append(author.userID)
        row.append(headOffice)
    }

    /// The bound values of the columns `number` ... `phone` and `business_id`, in table order,
    /// appended to `values` (the industry by the id the checks found: a subquery by name in the
    /// statement cost every create ~2 200 instructions of `sqlite3_step` even when it named none,
    /// docs/performance/HISTORY.md create20). The search text is written into the rows' buffer.
    private static func appendValues(of fields: StoredCustomerFields, number: Int64, industryID: Int64?,
                                     search: SearchKey.SearchParts?, to values: inout BoundRows) {
        let search = search ?? SearchKey.SearchParts(fields)
        values.append(number)
        values.append(fields.name)
        values.append(search.nameKey)
        values.appendText { search.append(number: number, to: &$0) }
        values.append(fields.accountManagerID)
        values.append(fields.description)
        values.append(fields.vatNumber)
        values.append(fields.country)
        values.append(industryID)
        values.append(fields.email)
        values.append(fields.website)
        values.append(fields.phone)
        values.append(fields.businessID)
    }

    /// The next automatic number: the first above the last one handed out that no customer has and
    /// none had (`retired_customer_numbers`), so a deleted customer's number is never handed out
    /// again. Numbers people give do not move the sequence, they are only skipped: however large
    /// one is, automatic numbering goes on (issue 12). The walk reads only the numbers above the
    /// sequence, which people gave: usually none.
    /// `numbers` records it as taken; the caller stores the sequence (`finish`) after its INSERT.
    /// - Throws: `resourceExhausted` once every number of `CustomerNumber.range` above it is taken.
    private func nextNumber(_ connection: SQLiteConnection, from numbers: inout CustomerNumberBlock) throws -> Int64 {
        let number = try numbers.next(connection)
        numbers.took(number)
        return number
    }

    /// Keeps a number a customer no longer has (deleted or renumbered) from automatic numbering.
    func retireNumber(_ connection: SQLiteConnection, _ number: Int64) throws {
        try connection.run("INSERT OR IGNORE INTO retired_customer_numbers (number) VALUES (?)", [.integer(number)])
    }

    /// The stored customer, refused when `expectedVersion` is given and stale.
    /// - Throws: `failedPrecondition` for a deleted (erased) customer: nothing changes it any more.
    ///   `field` is the request field that named the customer.
    func currentCustomer(_ connection: SQLiteConnection, id: Int64, field: String = "id", expectedVersion: Int64?) throws
        -> StoredCustomer {
        let current = try requireCustomer(connection, id: id, field: field)
        if current.deleted { throw StoreError.deletedCustomer(id, field: field) }
        try Self.checkVersion(expectedVersion, current: current.version, of: "customer \(id)")
        return current
    }

    func requireCustomer(_ connection: SQLiteConnection, id: Int64, field: String = "id") throws -> StoredCustomer {
        guard let customer = try CustomerRow.fetch(connection, CustomerRow.byID, key: id) else {
            throw try Self.missingCustomer(connection, id: id, field: field)
        }
        return customer
    }

    /// Checks what needs the database: the acting user exists, and a newly set account manager
    /// exists (added to the validator's violations, so all are reported together).
    /// - Returns: the names as stored of the users and the industry it checked (the industry's
    ///   spelling may differ from the caller's: its names compare without case).
    /// - Parameter batch: the group's creates, whose users' names it reads once a group.
    @discardableResult
    private func checkReferences(_ connection: SQLiteConnection, fields: StoredCustomerFields?, managerChanged: Bool,
                                 violations: [FieldViolation], by author: Author,
                                 queuedIn batch: CustomerCreateBatch? = nil) throws -> CheckedNames {
        var violations = violations
        var names = CheckedNames()
        if managerChanged, let manager = fields?.accountManagerID {
            if let name = try Self.userName(connection, id: manager, queuedIn: batch) {
                names.accountManager = StoredUserRef(id: manager, name: name)
            } else {
                violations.append(FieldViolation(field: "accountManager", reason: "no user has id \(manager)"))
            }
        }
        if let industry = fields?.industry {
            let checked = try Self.checkedIndustry(connection, name: industry)
            names.industry = checked?.name
            names.industryID = checked?.id
            if checked == nil { violations.append(Self.unknownIndustry(industry)) }
        }
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        names.author = try batch?.authorName(connection, author) ?? Self.actingUserName(connection, author)
        return names
    }

    /// The name of the user with this id, from `batch`'s names when a group's create asks (read
    /// once a group), else from the table; nil when no user has it. Either, not both: a name the
    /// batch did not find is not read again.
    private static func userName(_ connection: SQLiteConnection, id: Int64, queuedIn batch: CustomerCreateBatch?) throws
        -> String? {
        guard let batch else { return try userName(connection, id: id) }
        return try batch.userName(connection, id: id)
    }

    /// What the reference checks of a create read (`checkReferences`, the import's own): names as stored.
    struct CheckedNames: Sendable {
        var accountManager: StoredUserRef?
        var industry: String?
        /// The id of `industry`, which the row's `industry_id` takes.
        var industryID: Int64?
        var author = ""
    }
}

extension StoredCustomer {
    /// The fields the history compares, by API name, as text (the account manager by name).
    var historyValues: HistoryLog.Values {
        [("number", String(number)), ("name", name), ("accountManager", accountManager?.name),
         ("description", description), ("vatNumber", vatNumber), ("country", country), ("industry", industry),
         ("email", email), ("website", website), ("phone", phone), ("businessId", businessID)]
    }
}
