import SQLiteEngine

/// One import's rows written inside its transaction, each checked as `createCustomer` (and
/// `addAddress`, `createContact` for its children) checks it, at a bulk price: what every row
/// shares is looked up once per import (the acting user, each account manager and industry),
/// automatic numbers come from a `CustomerNumberBlock`, and a row without children needs no
/// savepoint, because every check runs before anything of it is written.
///
/// Rows without children are written 64 at a time (`PendingCustomers`): their customers, match
/// keys and history entries each with one multi-row INSERT, which cost a row a fraction of its
/// own statements (issue 17: import speed). Everything a check reads must then be in the table or
/// in the batch: a VAT number or customer number the batch holds, a row with children (written by
/// the store's own functions) and a walk for free numbers each write the batch out first.
struct CustomerImporter {
    private let store: CustomerStore
    private let connection: SQLiteConnection
    private let author: Author
    /// The acting user's name, for the records' history.
    private let authorName: String
    private let allowDuplicateVAT: Bool
    private let insertCustomer: SQLiteStatement
    private var numbers: CustomerNumberBlock
    /// Checked rows without children, not yet written.
    private var pending = PendingCustomers()
    /// The name of each account manager named in the import (nil: no user has the id).
    private var users: [Int64: String?] = [:]
    /// The stored spelling of each industry named in the import (nil: not in the managed list).
    private var industries: [String: String?] = [:]
    private(set) var outcome = CustomerImportOutcome()

    /// - Throws: `failedPrecondition` when the acting user does not exist (nothing is imported).
    init(store: CustomerStore, connection: SQLiteConnection, allowDuplicateVAT: Bool, by author: Author) throws {
        authorName = try CustomerStore.actingUserName(connection, author.userID)
        self.store = store
        self.connection = connection
        self.author = author
        self.allowDuplicateVAT = allowDuplicateVAT
        insertCustomer = try connection.statement(CustomerStore.insertSQL)
        numbers = try CustomerNumberBlock(connection)
    }

    /// Writes `row`, or counts it refused with its problems (then it wrote nothing).
    mutating func add(_ row: CustomerImportRow) throws {
        outcome.rows += 1
        let problems: [FieldViolation]
        if row.address == nil && row.contact == nil {
            problems = try write(row, batched: true)
        } else {
            try flush()
            problems = try withSavepoint(row)
        }
        if problems.isEmpty {
            outcome.imported += 1
            return
        }
        outcome.rejectedRows += 1
        let room = CustomerImportOutcome.problemLimit - outcome.problems.count
        outcome.problems += problems.prefix(max(room, 0)).map { CustomerImportProblem(line: row.line, violation: $0) }
    }

    /// Writes the rows still pending and the sequence of automatic numbers; call once after the last row.
    mutating func finish() throws {
        try flush()
        try numbers.finish(connection)
    }

    /// Writes the pending rows: customers, then their match keys and history entries.
    /// - Throws: what SQLite refuses (every check ran before a row was queued, so nothing a row
    ///   is at fault for): the import fails whole.
    private mutating func flush() throws {
        guard !pending.customers.isEmpty else { return }
        do {
            try connection.insertRows(CustomerStore.insertCustomers, pending.customers)
        } catch let error as SQLiteError {
            throw StoreError(error)
        }
        try connection.insertRows(CustomerStore.insertKeys, pending.matchKeys)
        try HistoryLog.append(connection, pending.history)
        pending = PendingCustomers()
    }

    /// A row with children: its address and contact are written by the store's own functions
    /// after the customer, so a refusal there must undo the customer too.
    private mutating func withSavepoint(_ row: CustomerImportRow) throws -> [FieldViolation] {
        let numbersBefore = numbers
        do {
            return try connection.savepoint { _ in
                let problems = try write(row, batched: false)
                if !problems.isEmpty { throw RowRefused(violations: problems) }
                return problems
            }
        } catch let refused as RowRefused {
            numbers = numbersBefore
            return refused.violations
        }
    }

    /// Checks every field of the row, then writes it (`batched`: queues it, it has no children);
    /// its problems when refused (nothing written then, unless a child refused, which the caller's
    /// savepoint undoes).
    private mutating func write(_ row: CustomerImportRow, batched: Bool) throws -> [FieldViolation] {
        var problems = row.problems
        if let address = row.address {
            problems += Self.prefixed("address", AddressValidator.validate(address, onto: nil).1)
        }
        if let contact = row.contact {
            problems += Self.prefixed("contact", ContactValidator.validate(contact, onto: ContactColumns()).1)
        }
        problems += try labelProblems(row)
        var customer = row.customer
        let businessIDOnly = Self.isBlank(customer.vatNumber) && !Self.isBlank(row.businessID)
        if businessIDOnly { customer.vatNumber = row.businessID }
        var (fields, violations) = CustomerValidator.validate(customer)
        store.canonicaliseVATNumber(&fields, violations: &violations)
        if businessIDOnly { Self.renameVATNumberViolations(&violations) }
        violations += Self.businessIDProblems(row, fields: fields, typedAsNumber: businessIDOnly, violations: violations)
        let names = try checkReferences(fields, into: &violations)
        if violations.isEmpty {
            // The check reads the table: a batch holding the number must be written first.
            if let vatNumber = fields.vatNumber, pending.vatNumbers.contains(vatNumber) { try flush() }
            do {
                try store.refuseDuplicateVATNumber(connection, fields.vatNumber, of: nil, allowed: allowDuplicateVAT)
            } catch StoreError.alreadyExists(let message, let field) {
                violations.append(FieldViolation(field: field, reason: message))
            }
        }
        problems += violations
        guard problems.isEmpty else { return problems }
        if batched { return try queue(fields, names: names).map { [$0] } ?? [] }
        let id: Int64
        do {
            id = try insert(fields, names: names)
        } catch let error as StoreError {
            guard case .alreadyExists(let message, let field) = error else { throw error }
            return [FieldViolation(field: field, reason: message)]
        }
        if let address = row.address {
            try refusedAs("address") { _ = try store.addAddress(connection, customerID: id, address, by: author) }
        }
        if let contact = row.contact {
            try refusedAs("contact") {
                _ = try store.createContact(connection, customerID: id, contact, keywords: row.contactKeywords,
                                            roles: row.contactRoles, by: author)
            }
        }
        return []
    }

    /// The customer's row, then what a create writes after it (`recordCreated`), with a number
    /// from the block unless it has one.
    private mutating func insert(_ fields: StoredCustomerFields, names: CustomerStore.CheckedNames) throws -> Int64 {
        let number = try fields.number ?? numbers.next(connection)
        let now = store.nowMilliseconds()
        defer { insertCustomer.reset() }
        try insertCustomer.bind(CustomerStore.insertValues(of: fields, number: number, at: now, by: author))
        do {
            try insertCustomer.run()
        } catch let error as SQLiteError {
            throw StoreError(error)
        }
        let id = connection.lastInsertRowID
        if fields.number == nil { numbers.took(number) } else { numbers.given(number) }
        _ = try CustomerStore.recordCreated(connection, id: id, fields, number: number, names: names, at: now, by: author)
        return id
    }

    /// Adds a checked row without children to the batch, with the id SQLite would give it; writes
    /// the batch once full. - Returns: the row's problem when its number is taken.
    private mutating func queue(_ fields: StoredCustomerFields, names: CustomerStore.CheckedNames) throws -> FieldViolation? {
        if let given = fields.number {
            if pending.numbers.contains(given) { try flush() }
            // What the customers' UNIQUE number would refuse (`StoreError(SQLiteError)`'s words).
            if try Self.isTaken(given, connection) { return FieldViolation(field: "number", reason: "number is already taken") }
        } else if numbers.needsWalk {
            try flush()  // The walk for free numbers reads the table: it must hold the numbers given.
        }
        let number = try fields.number ?? numbers.next(connection)
        if pending.customers.isEmpty { pending.firstID = try connection.nextAutoincrementID("customers") }
        let id = pending.firstID + Int64(pending.customers.count)
        let now = store.nowMilliseconds()
        pending.customers.append(CustomerStore.insertValues(of: fields, number: number, at: now, by: author, id: id))
        pending.matchKeys += CustomerStore.newMatchKeyRows(customerID: id, fields)
        let record = CustomerStore.createdRecord(id: id, fields, number: number, names: names, at: now, by: author)
        pending.history.append(CustomerStore.createdEntry(record, at: now, by: author))
        pending.numbers.insert(number)
        if let vatNumber = fields.vatNumber { pending.vatNumbers.insert(vatNumber) }
        if fields.number == nil { numbers.took(number) } else { numbers.given(number) }
        if pending.customers.count == MultiRowInsert.maxRows { try flush() }
        return nil
    }

    private static func isTaken(_ number: Int64, _ connection: SQLiteConnection) throws -> Bool {
        try connection.withStatement("SELECT 1 FROM customers WHERE number = ?") { statement in
            try statement.bind(number, at: 1)
            return try statement.step()
        }
    }

    /// What `checkReferences` adds for a create, from the import's lookups: the account manager
    /// and the industry exist (the acting user was checked once, in `init`). - Returns: their
    /// names as stored.
    private mutating func checkReferences(_ fields: StoredCustomerFields,
                                          into violations: inout [FieldViolation]) throws -> CustomerStore.CheckedNames {
        var names = CustomerStore.CheckedNames(author: authorName)
        if let manager = fields.accountManagerID {
            let name = try users[manager] ?? CustomerStore.userName(connection, id: manager)
            users[manager] = .some(name)
            if let name {
                names.accountManager = StoredUserRef(id: manager, name: name)
            } else {
                violations.append(FieldViolation(field: "accountManager", reason: "no user has id \(manager)"))
            }
        }
        if let industry = fields.industry {
            let name = try industries[industry] ?? CustomerStore.industryName(connection, name: industry)
            industries[industry] = .some(name)
            names.industry = name
            if name == nil { violations.append(CustomerStore.unknownIndustry(industry)) }
        }
        return names
    }

    /// The contact's keywords and roles must exist (as `createContact` requires) and need a contact.
    private func labelProblems(_ row: CustomerImportRow) throws -> [FieldViolation] {
        guard !row.contactKeywords.isEmpty || !row.contactRoles.isEmpty else { return [] }
        guard row.contact != nil else {
            let field = row.contactKeywords.isEmpty ? "contact.roles" : "contact.keywords"
            return [FieldViolation(field: field, reason: "needs a contact: the row's other contact columns are empty")]
        }
        do {
            _ = try CustomerStore.labelIDs(connection, keywords: row.contactKeywords, roles: row.contactRoles,
                                           fields: ("contact.keywords", "contact.roles"), violations: [])
            return []
        } catch StoreError.invalidArgument(let violations) {
            return violations
        }
    }

    /// A business id given beside a VAT number must be the one the number names; given alone it
    /// was typed as the number, which must then name no VAT registration (a bare Norwegian
    /// organisation number), since the file says the customer has none.
    private static func businessIDProblems(_ row: CustomerImportRow, fields: StoredCustomerFields, typedAsNumber: Bool,
                                           violations: [FieldViolation]) -> [FieldViolation] {
        guard let given = row.businessID, !isBlank(given),
              !violations.contains(where: { $0.field == "vatNumber" || $0.field == "businessId" || $0.field == "country" })
        else { return [] }
        if typedAsNumber {
            guard fields.vatNumber == nil else {
                return [FieldViolation(field: "businessId", reason: "is a VAT number; give it as vatNumber")]
            }
            return []
        }
        guard let derived = fields.businessID else {
            return [FieldViolation(field: "businessId", reason: "the VAT number names no business id")]
        }
        guard IdentifierText.compact(given) == IdentifierText.compact(derived) else {
            return [FieldViolation(field: "businessId", reason: "is not \(derived), the business id the VAT number names")]
        }
        return []
    }

    /// A business id typed as the number is checked by the VAT number's rules; its refusals are the column's.
    private static func renameVATNumberViolations(_ violations: inout [FieldViolation]) {
        for index in violations.indices where violations[index].field == "vatNumber" {
            violations[index].field = "businessId"
        }
    }

    private static func isBlank(_ text: String?) -> Bool {
        text?.trimmingWhitespace().isEmpty ?? true
    }

    /// Runs `body`, turning the row's own faults into a `RowRefused` whose fields start with `prefix.`.
    private func refusedAs(_ prefix: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as StoreError {
            switch error {
            case .invalidArgument(let violations): throw RowRefused(violations: Self.prefixed(prefix, violations))
            case .alreadyExists(let message, let field):
                throw RowRefused(violations: Self.prefixed(prefix, [FieldViolation(field: field, reason: message)]))
            default: throw error
            }
        }
    }

    private static func prefixed(_ prefix: String, _ violations: [FieldViolation]) -> [FieldViolation] {
        violations.map { FieldViolation(field: prefix + "." + $0.field, reason: $0.reason) }
    }
}

/// An import's checked rows without children, written together by `CustomerImporter.flush`.
private struct PendingCustomers {
    /// `CustomerStore.insertCustomers`' values, one row each.
    var customers: [[SQLValue]] = []
    var matchKeys: [[SQLValue]] = []
    var history: [HistoryLog.NewEntry] = []
    /// The id of the first row: the next one after it are the rows' in order.
    var firstID: Int64 = 0
    /// What the checks of later rows must see although the table does not hold it yet.
    var numbers: Set<Int64> = []
    var vatNumbers: Set<String> = []
}

/// A row's problems, thrown to undo its savepoint.
private struct RowRefused: Error {
    let violations: [FieldViolation]
}
