import SQLiteEngine

/// One row of a bulk import: a new customer, with its head office address and first contact when
/// the row has them.
public struct CustomerImportRow: Sendable, Hashable {
    /// The line of the file the row starts on, for reporting.
    public var line: Int64
    public var customer: NewCustomer
    /// The business id the row expects: checked against the one its VAT number names, or, without
    /// a VAT number, typed as the number (a bare Norwegian organisation number stays a business id).
    public var businessID: String?
    public var address: StoredAddressFields?
    public var contact: StoredContactFields?
    /// Names of existing keywords and roles for the contact.
    public var contactKeywords: [String]
    public var contactRoles: [String]
    /// What the caller already found wrong (e.g. an account manager no user has); reported together
    /// with the store's own findings, and the row is refused.
    public var problems: [FieldViolation]

    public init(line: Int64, customer: NewCustomer, businessID: String? = nil, address: StoredAddressFields? = nil,
                contact: StoredContactFields? = nil, contactKeywords: [String] = [], contactRoles: [String] = [],
                problems: [FieldViolation] = []) {
        self.line = line
        self.customer = customer
        self.businessID = businessID
        self.address = address
        self.contact = contact
        self.contactKeywords = contactKeywords
        self.contactRoles = contactRoles
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
    /// In row order, at most `problemLimit` of them (`rejectedRows` counts them all).
    public var problems: [CustomerImportProblem] = []
    /// The most problems an outcome keeps, so a bad million-row file cannot fill the server's memory.
    public static let problemLimit = 10_000
}

/// What a keyed import came to (see ``CustomerStore/importCustomers(mode:allowDuplicateVAT:by:rows:claim:answer:)``):
/// `.ran` committed unless `mode` or a refused row undid it.
public typealias KeyedImportOutcome = KeyedOutcome<CustomerImportOutcome>

extension CustomerStore {
    /// Creates the customers that `rows` hands over batch by batch (nil when there are no more) in
    /// ONE transaction, each row checked exactly as `createCustomer`, `addAddress` and
    /// `createContact` check theirs, so the rows stream into the transaction and are never held
    /// all at once. A refused row leaves nothing behind, not even a sequence number.
    ///
    /// A row is checked against the rows before it (a customer number or VAT number given twice is
    /// refused on its second row). `mode` decides what is kept: in a dry run and in an
    /// all-or-nothing import with a refused row the transaction is undone, so `imported` is 0.
    ///
    /// The import holds the writer from its first row to its last (writes of other callers wait),
    /// running on the caller's thread; `rows` is called on a thread of its own beside it
    /// (`CustomerImportPipeline`, never at once with the caller, and never after this returned)
    /// and must not wait on a client (the server spools the stream first, see `CustomerImportSpool`).
    ///
    /// This view's admission (``answering(_:)``) is asked last before the COMMIT of rows that are
    /// kept (in the server: the call takes its answer, so that a call already answered
    /// DEADLINE_EXCEEDED or abandoned does not commit after all); what it throws undoes the import.
    /// - Throws: errors that are not a row's fault (an unknown acting user, SQLite failures, what
    ///   `rows` or the admission throws); nothing is written then.
    public func importCustomers(mode: CustomerImportMode, allowDuplicateVAT: Bool, by author: Author,
                                rows: @escaping () throws -> [CustomerImportRow]?) throws -> CustomerImportOutcome {
        try runImport(mode: mode, allowDuplicateVAT: allowDuplicateVAT, by: author, rows: rows) { _, outcome, kept in
            (outcome, kept)
        }
    }

    /// `importCustomers` for a call with an idempotency key, whose request is the whole stream:
    /// once `rows` has handed over its last batch, `claim` (its hash now complete) is looked up. A
    /// key used before undoes this run and says what it came to; a new key is stored with
    /// `answer(outcome)` in the import's own transaction when the import is kept, so a crash leaves
    /// both or neither. A dry run or a refused import stores no key (a corrected retry may use it).
    /// The admission as in the other `importCustomers`.
    public func importCustomers(mode: CustomerImportMode, allowDuplicateVAT: Bool, by author: Author,
                                rows: @escaping () throws -> [CustomerImportRow]?, claim: () throws -> IdempotencyClaim,
                                answer: (CustomerImportOutcome) throws -> [UInt8]) throws -> KeyedImportOutcome {
        try runImport(mode: mode, allowDuplicateVAT: allowDuplicateVAT, by: author, rows: rows) { connection, outcome, kept in
            let claim = try claim()
            let (earlier, clock) = try lookUp(connection, claim)
            if let earlier { return (.earlier(earlier), false) }
            if kept { try Self.remember(connection, claim, answer: try answer(outcome), at: clock) }
            return (.ran(outcome), kept)
        }
    }

    /// The writer's page cache while an import runs: -N is N KiB (SQLite's convention), 128 MiB.
    static let importCacheKiB = -131_072

    /// The import's transaction on the writer, held alone (its own thread leads it; no other
    /// write shares it): rows in, then `settle`, told whether `mode` keeps the rows, says what to
    /// answer and whether to commit; the view's admission last before a COMMIT.
    private func runImport<Result>(
        mode: CustomerImportMode, allowDuplicateVAT: Bool, by author: Author, rows: @escaping () throws -> [CustomerImportRow]?,
        named name: StaticString = #function,
        settle: (SQLiteConnection, CustomerImportOutcome, _ kept: Bool) throws -> (Result, commit: Bool)
    ) throws -> Result {
        // `rows` and the checks that need no database run on a thread of their own beside the
        // writer's (`CustomerImportPipeline`); it is stopped and gone before this returns.
        let pipeline = CustomerImportPipeline(store: self, rows: rows)
        defer { pipeline.close() }
        return try withWriter(named: name) { connection, admit in
            // A transaction larger than the page cache writes dirty pages out to the WAL as it goes,
            // the hot index pages again and again (perf: 40% of an import's time in pwrite); a
            // larger cache for the import's duration keeps them until the COMMIT.
            // Every INSERT in a transaction keeps the pages it changes in a statement journal (to undo
            // it alone on a constraint failure); SQLite spills that journal to a temporary file, so
            // without this an import made ~22 pwrite calls a row (strace) into /var/tmp. In memory it
            // holds one statement's pages at most.
            // Foreign keys are not enforced inside the import's transaction: every reference a row
            // writes is checked before it is written (the acting user once, each account manager,
            // industry and label, as the creates check them), the ids the rows name each other by
            // are the importer's own, and the import holds the writer, so nothing removes what was
            // checked meanwhile. Enforced, they cost each row ~13 B-tree look-ups (customer, match
            // keys, history entry and each of its field changes; callgrind, issue 17).
            let cacheSize = try connection.pragma("cache_size") ?? "-2000"
            let tempStore = try connection.pragma("temp_store") ?? "0"
            let foreignKeys = try connection.pragma("foreign_keys") ?? "1"
            // Restored however the import ends, also when setting a pragma failed.
            defer {
                // Foreign keys first: a failure of a later pragma must not leave them off.
                try? connection.execute("PRAGMA foreign_keys = \(Int(foreignKeys) ?? 1); "
                                        + "PRAGMA cache_size = \(Int(cacheSize) ?? -2000); PRAGMA temp_store = \(Int(tempStore) ?? 0)")
            }
            try connection.execute("PRAGMA cache_size = \(Self.importCacheKiB); PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF")
            try connection.run("BEGIN IMMEDIATE")
            do {
                var importer = try CustomerImporter(store: self, connection: connection, allowDuplicateVAT: allowDuplicateVAT,
                                                    by: author)
                while let batch = try pipeline.next() {
                    for row in batch { try importer.add(row) }
                }
                try importer.finish()
                var outcome = importer.outcome
                let kept = mode != .dryRun && !(mode == .allOrNothing && outcome.rejectedRows > 0)
                if !kept { outcome.imported = 0 }
                let (result, commit) = try settle(connection, outcome, kept)
                if commit { try admit() }
                try connection.run(commit ? "COMMIT" : "ROLLBACK")
                return result
            } catch {
                // After a failed COMMIT SQLite may have rolled back already; this ROLLBACK then fails harmlessly.
                _ = try? connection.run("ROLLBACK")
                throw error
            }
        }
    }
}
