import SQLiteEngine

/// One row of a bulk import: a new customer, with its head office address and first contact when
/// the row has them.
public struct CustomerImportRow: Sendable, Hashable {
    /// The line of the file the row starts on, for reporting.
    public var line: Int64
    public var customer: NewCustomer
    public var address: StoredAddressFields?
    public var contact: StoredContactFields?
    /// What the caller already found wrong (e.g. an account manager no user has); reported together
    /// with the store's own findings, and the row is refused.
    public var problems: [FieldViolation]

    public init(line: Int64, customer: NewCustomer, address: StoredAddressFields? = nil, contact: StoredContactFields? = nil,
                problems: [FieldViolation] = []) {
        self.line = line
        self.customer = customer
        self.address = address
        self.contact = contact
        self.problems = problems
    }
}

/// How an import treats its rows.
public enum CustomerImportMode: Sendable, Hashable {
    /// Check every row as a create would, write nothing.
    case dryRun
    /// Write every row or, when one is refused, none.
    case allOrNothing
    /// Write the rows that pass, refuse the others.
    case continueOnError
}

/// One refused field of one import row.
public struct CustomerImportProblem: Sendable, Hashable {
    public var line: Int64
    /// The API name, prefixed `address.` or `contact.` for the address's and contact's fields.
    public var violation: FieldViolation
}

/// What an import did.
public struct CustomerImportOutcome: Sendable, Hashable {
    public var rows = 0
    /// Customers created and committed; 0 in a dry run and in a refused all-or-nothing import.
    public var imported = 0
    public var rejectedRows = 0
    /// In row order.
    public var problems: [CustomerImportProblem] = []
}

extension CustomerStore {
    /// Creates the customers of `rows` in ONE transaction, each row checked exactly as
    /// `createCustomer`, `addAddress` and `createContact` check theirs (the same code runs), inside a
    /// savepoint of its own so a refused row leaves nothing behind, not even a sequence number.
    ///
    /// A row is checked against the rows before it (a customer number or VAT number given twice is
    /// refused on its second row). `mode` decides what is kept: in a dry run and in an
    /// all-or-nothing import with a refused row the transaction is undone, so `imported` is 0.
    /// - Throws: errors that are not a row's fault (an unknown acting user, SQLite failures); nothing
    ///   is written then.
    public func importCustomers(_ rows: [CustomerImportRow], mode: CustomerImportMode, allowDuplicateVAT: Bool,
                                by author: Author) throws -> CustomerImportOutcome {
        do {
            return try write { connection in
                try Self.requireActingUser(connection, author.userID)
                var outcome = CustomerImportOutcome()
                for row in rows {
                    outcome.rows += 1
                    let problems = try importRow(connection, row, allowDuplicateVAT: allowDuplicateVAT, by: author)
                    if problems.isEmpty {
                        outcome.imported += 1
                    } else {
                        outcome.rejectedRows += 1
                        outcome.problems += problems.map { CustomerImportProblem(line: row.line, violation: $0) }
                    }
                }
                if mode == .dryRun || (mode == .allOrNothing && outcome.rejectedRows > 0) {
                    outcome.imported = 0
                    throw ImportUndone(outcome: outcome)
                }
                return outcome
            }
        } catch let undone as ImportUndone {
            return undone.outcome
        }
    }

    /// Writes one row in its own savepoint; returns its problems (and writes nothing) when refused.
    private func importRow(_ connection: SQLiteConnection, _ row: CustomerImportRow, allowDuplicateVAT: Bool,
                           by author: Author) throws -> [FieldViolation] {
        do {
            try connection.savepoint { connection in
                // Every field of the row is checked before one is written, so a refused row lists them all.
                var problems = row.problems
                if let address = row.address {
                    problems += Self.prefixed("address", AddressValidator.validate(address, onto: nil).1)
                }
                if let contact = row.contact {
                    problems += Self.prefixed("contact", ContactValidator.validate(contact, onto: ContactColumns()).1)
                }
                let id: Int64
                do {
                    id = try insert(connection, CustomerValidator.validate(row.customer), allowDuplicateVAT: allowDuplicateVAT,
                                    by: author)
                } catch let error as StoreError {
                    guard let refused = Self.violations(of: error) else { throw error }
                    throw RowRefused(violations: problems + refused)
                }
                if !problems.isEmpty { throw RowRefused(violations: problems) }
                try Self.refusedAs("address") {
                    if let address = row.address { _ = try addAddress(connection, customerID: id, address, by: author) }
                }
                try Self.refusedAs("contact") {
                    if let contact = row.contact {
                        _ = try createContact(connection, customerID: id, contact, keywords: [], roles: [], by: author)
                    }
                }
            }
            return []
        } catch let refused as RowRefused {
            return refused.violations
        }
    }

    /// Runs `body`, turning the row's own faults into a `RowRefused` whose fields start with `prefix.`.
    private static func refusedAs(_ prefix: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as StoreError {
            guard let violations = violations(of: error) else { throw error }
            throw RowRefused(violations: Self.prefixed(prefix, violations))
        }
    }

    /// The fields a store error refuses, or nil when it is not about the input.
    private static func violations(of error: StoreError) -> [FieldViolation]? {
        switch error {
        case .invalidArgument(let violations): violations
        case .alreadyExists(let message, let field): [FieldViolation(field: field, reason: message)]
        default: nil
        }
    }

    private static func prefixed(_ prefix: String, _ violations: [FieldViolation]) -> [FieldViolation] {
        violations.map { FieldViolation(field: prefix + "." + $0.field, reason: $0.reason) }
    }
}

/// Undoes a dry run's or a refused import's transaction by leaving `write` with an error.
private struct ImportUndone: Error {
    let outcome: CustomerImportOutcome
}

/// A row's problems, thrown to undo its savepoint.
private struct RowRefused: Error {
    let violations: [FieldViolation]
}
