import SQLiteEngine

/// One import's rows written inside its transaction, each checked as `createCustomer` (and
/// `addAddress`, `createContact` for its children) checks it, at a bulk price: what every row
/// shares is looked up once per import (the acting user, each account manager and industry),
/// automatic numbers come from a `CustomerNumberBlock`, the customer INSERT is one prepared
/// statement, and a row without children needs no savepoint, because every check runs before its
/// one INSERT, which either happens whole or fails alone.
struct CustomerImporter {
    private let store: CustomerStore
    private let connection: SQLiteConnection
    private let author: Author
    /// The acting user's name, for the records' history.
    private let authorName: String
    private let allowDuplicateVAT: Bool
    private let insertCustomer: SQLiteStatement
    private var numbers: CustomerNumberBlock
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
        let problems = row.address == nil && row.contact == nil
            ? try write(row) : try withSavepoint(row)
        if problems.isEmpty {
            outcome.imported += 1
            return
        }
        outcome.rejectedRows += 1
        let room = CustomerImportOutcome.problemLimit - outcome.problems.count
        outcome.problems += problems.prefix(max(room, 0)).map { CustomerImportProblem(line: row.line, violation: $0) }
    }

    /// Writes the sequence of automatic numbers; call once after the last row.
    func finish() throws {
        try numbers.finish(connection)
    }

    /// A row with children: its address and contact are written by the store's own functions
    /// after the customer, so a refusal there must undo the customer too.
    private mutating func withSavepoint(_ row: CustomerImportRow) throws -> [FieldViolation] {
        let numbersBefore = numbers
        do {
            return try connection.savepoint { _ in
                let problems = try write(row)
                if !problems.isEmpty { throw RowRefused(violations: problems) }
                return problems
            }
        } catch let refused as RowRefused {
            numbers = numbersBefore
            return refused.violations
        }
    }

    /// Checks every field of the row, then writes it; its problems when refused (nothing written
    /// then, unless a child refused, which the caller's savepoint undoes).
    private mutating func write(_ row: CustomerImportRow) throws -> [FieldViolation] {
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
            do {
                try store.refuseDuplicateVATNumber(connection, fields.vatNumber, of: nil, allowed: allowDuplicateVAT)
            } catch StoreError.alreadyExists(let message, let field) {
                violations.append(FieldViolation(field: field, reason: message))
            }
        }
        problems += violations
        guard problems.isEmpty else { return problems }
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

/// A row's problems, thrown to undo its savepoint.
private struct RowRefused: Error {
    let violations: [FieldViolation]
}
