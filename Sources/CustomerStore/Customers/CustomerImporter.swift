import SQLiteEngine

/// One import's rows written inside its transaction, each checked as `createCustomer` (and
/// `addAddress`, `createContact` for its children) checks it, at a bulk price: what every row
/// shares is looked up once per import (the acting user, each account manager, industry and set
/// of contact labels), automatic numbers come from a `CustomerNumberBlock`, and a row needs no
/// savepoint, because every check, its children's included, runs before anything of it is written.
///
/// Rows are written 64 at a time (`PendingCustomers`): their customers, addresses, contacts,
/// contact labels, match keys and history entries each with one multi-row INSERT, which cost a row
/// a fraction of its own statements (issue 17: import speed). What is written is what
/// `createCustomer`, `addAddress` and `createContact` one after another write (the head office in
/// the customer's INSERT, with its change in the customer's version and history: the triggers that
/// would set and check it are set aside for the import, `CustomerImportTriggers`). Everything a check
/// reads must then be in the table or in the batch: a VAT number or customer number the batch
/// holds and a walk for free numbers each write the batch out first.
struct CustomerImporter {
    private let store: CustomerStore
    private let connection: SQLiteConnection
    private let author: Author
    /// The acting user's name, for the records' history.
    private let authorName: String
    private let allowDuplicateVAT: Bool
    private var numbers: CustomerNumberBlock
    private let triggers: CustomerImportTriggers
    /// Checked rows, not yet written.
    private var pending = PendingCustomers()
    /// The name of each account manager named in the import (nil: no user has the id).
    private var users: [Int64: String?] = [:]
    /// The id and stored spelling of each industry named in the import (nil: not in the managed list).
    private var industries: [String: CustomerStore.CheckedIndustry?] = [:]
    /// Each set of contact keywords and roles named in the import: its label ids, or its problems.
    private var labels: [ContactLabelNames: Result<[Int64], LabelsRefused>] = [:]
    private(set) var outcome = CustomerImportOutcome()

    /// - Throws: `failedPrecondition` when the acting user does not exist, `authorDeactivated` or
    ///   `authorRightsChanged` as any write (nothing is imported).
    init(store: CustomerStore, connection: SQLiteConnection, allowDuplicateVAT: Bool, by author: Author) throws {
        authorName = try CustomerStore.actingUserName(connection, author)
        self.store = store
        self.connection = connection
        self.author = author
        self.allowDuplicateVAT = allowDuplicateVAT
        numbers = try CustomerNumberBlock(connection)
        triggers = try CustomerImportTriggers(settingAsideIn: connection)
    }

    /// Writes `row` (made by `prepare`), or counts it refused with its problems (then it wrote nothing).
    mutating func add(_ row: PreparedImportRow) throws {
        outcome.rows += 1
        let problems = try write(row)
        if problems.isEmpty {
            outcome.imported += 1
            return
        }
        outcome.rejectedRows += 1
        let room = CustomerImportOutcome.problemLimit - outcome.problems.count
        outcome.problems += problems.prefix(max(room, 0)).map { CustomerImportProblem(line: row.line, violation: $0) }
    }

    /// Writes the rows still pending and the sequence of automatic numbers, and puts the triggers
    /// back; call once after the last row, before the transaction ends.
    mutating func finish() throws {
        try flush()
        try numbers.finish(connection)
        try triggers.restore(connection)
    }

    /// Writes the pending rows: customers first, then what names them.
    /// - Throws: what SQLite refuses (every check ran before a row was queued, so nothing a row
    ///   is at fault for): the import fails whole.
    private mutating func flush() throws {
        guard !pending.customers.isEmpty else { return }
        do {
            try connection.insertRows(CustomerStore.insertCustomers, pending.customers)
        } catch let error as SQLiteError {
            throw StoreError(error)
        }
        try connection.insertRows(CustomerStore.insertAddresses, pending.addresses)
        try connection.insertRows(CustomerStore.insertContacts, pending.contacts)
        try connection.insertRows(CustomerStore.insertContactLabels, pending.contactLabels)
        try connection.insertRows(CustomerStore.insertKeys, pending.matchKeys)
        try HistoryLog.append(connection, pending.history)
        pending = PendingCustomers()
    }

    /// What of a row's checks and values needs no database, done before the writer takes the row
    /// (on the import's producer thread, `CustomerImportPipeline`): its fields, its children's
    /// and the business id checked, and a row that passed them its match keys and search parts.
    static func prepare(_ row: CustomerImportRow, store: CustomerStore) -> PreparedImportRow {
        var problems = row.problems
        var address: AddressColumns?
        var contact: ContactColumns?
        if let fields = row.address {
            let (columns, violations) = AddressValidator.validate(fields, onto: nil)
            problems += Self.prefixed("address", violations)
            address = columns
        }
        if let fields = row.contact {
            let (columns, violations) = ContactValidator.validate(fields, onto: ContactColumns())
            problems += Self.prefixed("contact", violations)
            contact = columns
        }
        var customer = row.customer
        let businessIDOnly = Self.isBlank(customer.vatNumber) && !Self.isBlank(row.businessID)
        if businessIDOnly { customer.vatNumber = row.businessID }
        var (fields, violations) = CustomerValidator.validate(customer)
        store.canonicaliseVATNumber(&fields, violations: &violations)
        if businessIDOnly { Self.renameVATNumberViolations(&violations) }
        violations += Self.businessIDProblems(row, fields: fields, typedAsNumber: businessIDOnly, violations: violations)
        // A row refused already is never written: its keys and search text would go unused (its
        // changes' parts are made regardless: a few short arrays).
        let passed = problems.isEmpty && violations.isEmpty
        return PreparedImportRow(
            row: row, problems: problems, address: address, contact: contact,
            customer: PreparedCustomer(fields: fields, violations: violations, writable: passed))
    }

    /// Checks what of the prepared row needs the transaction's view (its labels, references and
    /// VAT number), then queues it; its problems when refused (nothing queued then), in the order
    /// a create reports them: the row's own, its children's, its labels', its customer fields'.
    private mutating func write(_ prepared: PreparedImportRow) throws -> [FieldViolation] {
        let row = prepared.row
        var problems = prepared.problems
        var children = Children(address: prepared.address, contact: prepared.contact)
        switch try labelIDs(row) {
        case .success(let ids): children.labels = ids
        case .failure(let refused): problems += refused.violations
        }
        let fields = prepared.customer.fields
        var violations = prepared.customer.violations
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
        return try queue(prepared, names: names, children).map { [$0] } ?? []
    }

    /// Adds a checked row to the batch, with the ids SQLite would give it and its children; writes
    /// the batch once full. - Returns: the row's problem when its number is taken.
    private mutating func queue(_ prepared: PreparedImportRow, names: CustomerStore.CheckedNames,
                                _ children: Children) throws -> FieldViolation? {
        let fields = prepared.customer.fields
        if let given = fields.number {
            if pending.numbers.contains(given) { try flush() }
            // What the customers' UNIQUE number would refuse (`StoreError(SQLiteError)`'s words).
            if try Self.isTaken(given, connection) { return FieldViolation(field: "number", reason: "is already taken") }
        } else if numbers.needsWalk {
            try flush()  // The walk for free numbers reads the table: it must hold the numbers given.
        }
        let number = try fields.number ?? numbers.next(connection)
        if pending.customers.isEmpty { pending.firstID = try connection.nextAutoincrementID(.customers) }
        let id = pending.firstID + Int64(pending.customers.rowCount)
        let now = store.nowMilliseconds()
        pending.history.append(HistoryLog.NewEntry(
            entity: .customer, id: id, customerID: id, action: .created, at: now, author: author,
            manager: .was(fields.accountManagerID), changes: [],
            encodedChanges: prepared.customer.createdChanges.text(number: number, names: names)))
        if let address = children.address {
            if pending.addresses.isEmpty { pending.firstAddressID = try connection.nextAutoincrementID(.addresses) }
            let addressID = pending.firstAddressID + Int64(pending.addresses.count)
            pending.addresses.append(CustomerStore.insertValues(of: address, customerID: id, at: now, by: author, id: addressID))
            pending.history.append(HistoryLog.NewEntry(
                entity: .address, id: addressID, customerID: id, action: .created, at: now, author: author,
                manager: .was(fields.accountManagerID),
                changes: HistoryLog.creation(address.historyValues)))
            // The head office, as the schema's trigger makes a first address, with `recordHeadOfficeChange`'s
            // entry, version and time (version + 1, `max(now, updated_at + 1)`), set in the customer's INSERT.
            pending.history.append(CustomerStore.headOfficeEntry(customerID: id, from: nil, to: addressID, at: now, by: author,
                                                                 manager: .was(fields.accountManagerID)))
            CustomerStore.appendInsertValues(of: fields, number: number, industryID: names.industryID,
                                             at: now, by: author, id: id, version: 2, updatedAt: now + 1, headOffice: addressID,
                                             search: prepared.customer.search, to: &pending.customers)
        } else {
            CustomerStore.appendInsertValues(of: fields, number: number, industryID: names.industryID,
                                             at: now, by: author, id: id, search: prepared.customer.search,
                                             to: &pending.customers)
        }
        if let contact = children.contact {
            if pending.contacts.isEmpty { pending.firstContactID = try connection.nextAutoincrementID(.contacts) }
            let contactID = pending.firstContactID + Int64(pending.contacts.count)
            pending.contacts.append(CustomerStore.insertValues(of: contact, customerID: id, at: now, by: author, id: contactID))
            pending.contactLabels += children.labels.map { [.integer(contactID), .integer($0)] }
            pending.history.append(HistoryLog.NewEntry(
                entity: .contact, id: contactID, customerID: id, action: .created, at: now, author: author,
                manager: .was(fields.accountManagerID),
                changes: HistoryLog.creation(contact.historyValues)))
        }
        CustomerStore.appendKeyRows(prepared.customer.matchKeys ?? CustomerStore.matchKeys(of: fields),
                                    customerID: id, to: &pending.matchKeys)
        pending.numbers.insert(number)
        if let vatNumber = fields.vatNumber { pending.vatNumbers.insert(vatNumber) }
        if fields.number == nil { numbers.took(number) } else { numbers.given(number) }
        if pending.customers.rowCount == MultiRowInsert.maxRows { try flush() }
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
            let checked = try industries[industry] ?? CustomerStore.checkedIndustry(connection, name: industry)
            industries[industry] = .some(checked)
            names.industry = checked?.name
            names.industryID = checked?.id
            if checked == nil { violations.append(CustomerStore.unknownIndustry(industry)) }
        }
        return names
    }

    /// The ids of the contact's keywords and roles, which must exist (as `createContact` requires)
    /// and need a contact; looked up once per import for each set of names (the import holds the
    /// writer: no label changes meanwhile).
    private mutating func labelIDs(_ row: CustomerImportRow) throws -> Result<[Int64], LabelsRefused> {
        guard !row.contactKeywords.isEmpty || !row.contactRoles.isEmpty else { return .success([]) }
        guard row.contact != nil else {
            let field = row.contactKeywords.isEmpty ? "contact.roles" : "contact.keywords"
            return .failure(LabelsRefused(violations: [
                FieldViolation(field: field, reason: "needs a contact: the row's other contact columns are empty"),
            ]))
        }
        let names = ContactLabelNames(keywords: row.contactKeywords, roles: row.contactRoles)
        if let known = labels[names] { return known }
        let result: Result<[Int64], LabelsRefused>
        do {
            result = .success(try CustomerStore.labelIDs(connection, keywords: names.keywords, roles: names.roles,
                                                         fields: ("contact.keywords", "contact.roles"), violations: []))
        } catch StoreError.invalidArgument(let violations) {
            result = .failure(LabelsRefused(violations: violations))
        }
        labels[names] = result
        return result
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

    private static func prefixed(_ prefix: String, _ violations: [FieldViolation]) -> [FieldViolation] {
        violations.map { FieldViolation(field: prefix + "." + $0.field, reason: $0.reason) }
    }
}

/// An import's checked rows, written together by `CustomerImporter.flush`; each array holds one
/// table's values (`CustomerStore.insertCustomers`, `insertAddresses`, ...), a row each.
private struct PendingCustomers {
    var customers = BoundRows(width: CustomerStore.insertCustomers.valueCount)
    var addresses: [[SQLValue]] = []
    var contacts: [[SQLValue]] = []
    var contactLabels: [[SQLValue]] = []
    var matchKeys = BoundRows(width: CustomerStore.insertKeys.valueCount)
    var history: [HistoryLog.NewEntry] = []
    /// The ids of the first customer, address and contact: the next ones are the rows' in order.
    var firstID: Int64 = 0
    var firstAddressID: Int64 = 0
    var firstContactID: Int64 = 0
    /// What the checks of later rows must see although the table does not hold it yet.
    var numbers: Set<Int64> = []
    var vatNumbers: Set<String> = []
}

/// A row's checked children, as their tables store them.
private struct Children {
    var address: AddressColumns?
    var contact: ContactColumns?
    var labels: [Int64] = []
}

/// The contact keywords and roles a row names, as given.
private struct ContactLabelNames: Hashable {
    var keywords: [String]
    var roles: [String]
}

/// Why a row's contact labels are refused.
private struct LabelsRefused: Error {
    let violations: [FieldViolation]
}

/// A row as `CustomerImporter.prepare` left it for the writer: what its checks without the
/// database found, and the values a row that passed them needs.
struct PreparedImportRow: Sendable {
    let row: CustomerImportRow
    var line: Int64 { row.line }
    /// The row's own problems and its address's and contact's, prefixed.
    let problems: [FieldViolation]
    let address: AddressColumns?
    let contact: ContactColumns?
    /// The customer's fields, what their checks refused (the business id's included) and, for a
    /// row not refused already, its keys and search parts.
    let customer: PreparedCustomer
}
