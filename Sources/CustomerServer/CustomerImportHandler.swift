import CustomerAPI
import CustomerStore
import Hashing
import RPCServing
import ThreadSync

/// Serves the bulk side of `customer.v1.CustomerService`: ImportCustomers (a client stream of rows,
/// spooled until the stream ends, then all written in one transaction) and ExportCustomers (a server stream of the same records).
struct CustomerImportHandler: GuardedService {
    var store: CustomerStore
    /// What all imports in progress may spool together, shared by the server's imports; its limit
    /// (`CustomerServerConfiguration.maxImportSize`) also bounds each import alone.
    var spoolTotal: SharedBudget
    /// Free bytes the spools leave on the database's file system (`importFreeSpaceReserve`).
    var freeSpaceReserve: Int64

    /// The source history records for an imported customer, address and contact.
    static let historySource = "import"

    func register(with router: inout GuardedRouter) {
        // Keys are looked at only where the router serves them (see `GuardedRouter.keyedWrites`).
        let takesKeys = router.keyedWrites != nil
        router.register(
            clientStreaming: CustomerService.importCustomers, opening: "options", screen: Self.checkRowCount,
            first: { (message: ImportCustomersMessage, bytes) in Received(message: message, bytes: bytes) },
            requires: .allCustomers(.edit)
        ) { [store, spoolTotal, freeSpaceReserve] (first: Received, messages: ClientStreamReader<ImportCustomersMessage>, context)
            -> ImportCustomersResponse in
            let options = first.message.options ?? ImportOptions()
            let key = try KeyedWrites.key(of: context)
            var author = try Caller.of(context).author
            author.source = Self.historySource
            let mode: CustomerImportMode = options.dryRun == true ? .dryRun
                : options.continueOnError == true ? .continueOnError : .allOrNothing
            let allowDuplicateVAT = options.allowDuplicateVat ?? false
            // The stream is spooled to a file while the client sends, and only once it has ended
            // are its rows written, in one transaction: a slow or silent client never holds the
            // database's writer (and with it every write of the service). The server holds a few
            // messages at a time (`next` runs on the import's own thread, a few batches ahead of
            // the writer: `CustomerImportPipeline`), never the whole import.
            let spool = try store.makeImportSpool(limit: Int64(spoolTotal.limit), total: spoolTotal,
                                                  reserve: freeSpaceReserve)
            while let bytes = try messages.nextEncoded() {
                try context.checkCancellation()
                try Self.checkRowCount(bytes)
                try spool.append(bytes)
            }
            var fingerprint = SHA256()
            var rows = ImportRows(store: store)
            var unread: Received? = first
            let next = { () throws -> [CustomerImportRow]? in
                let received: Received
                if let first = unread {
                    received = first
                    unread = nil
                } else {
                    guard let bytes = try spool.next() else { return nil }
                    received = Received(message: try messages.decode(bytes), bytes: bytes)
                    guard received.message.options == nil else {
                        throw RPCError(.invalidArgument, field: "options", "only in the first message of an import")
                    }
                    try context.checkCancellation()
                }
                // The bytes as received: re-encoding each message for its hash cost a row ~15 000
                // instructions (callgrind, issue 17).
                if key != nil { fingerprint.update(received.bytes) }
                return try rows.convert(received.message.rows)
            }
            // The import may have waited for the writer past the call's deadline (or its client
            // gone meanwhile): the server has then answered DEADLINE_EXCEEDED (or nobody) and the
            // rows must not land after all. Taking the answer before the COMMIT decides it (the
            // store asks `answering`'s admission there): either the import commits and its answer
            // is the call's, or it rolls back.
            let answering = store.answering(context)
            // A dry run writes nothing, so there is nothing a retry could do twice.
            guard mode != .dryRun, let key, takesKeys else {
                return try Self.answer(
                    answering.importCustomers(mode: mode, allowDuplicateVAT: allowDuplicateVAT, by: author, rows: next),
                    mode: mode)
            }
            let method = CustomerService.importCustomers
            let outcome = try answering.importCustomers(
                mode: mode, allowDuplicateVAT: allowDuplicateVAT, by: author, rows: next,
                claim: { try KeyedWrites.streamClaim(method, key: key, fingerprint: fingerprint, context) },
                answer: { try KeyedWrites.encode(Self.answer($0, mode: mode), of: method.fullName) })
            switch outcome {
            case .ran(let outcome): return try Self.answer(outcome, mode: mode)
            case .earlier(let earlier): return try KeyedWrites.earlier(earlier, of: method.fullName)
            }
        }
        router.register(CustomerService.exportCustomers, requires: .visibleCustomers) {
            (request: StreamCustomersRequest, writer: ServerStreamWriter<CustomerRecord>, context) in
            guard let filter = try request.query.visibleFilter(context, resolvingWith: store) else { return }
            try store.streamCustomerRecords(filter, order: request.query.storeOrder, osUser: context.peer.uid) { record in
                try context.checkCancellation()
                try writer.send(CustomerRecord(record))
            }
        }
    }

    /// Refuses a message of more than `ImportCustomersMessage.maxRows` rows, counted on its bytes
    /// as received: a refused import decodes none of them (each message is checked as it is spooled,
    /// before any row is decoded, converted or written).
    @Sendable private static func checkRowCount(_ bytes: [UInt8]) throws {
        let rows = ImportCustomersMessage.rowCount(encoded: bytes)
        guard rows > ImportCustomersMessage.maxRows else { return }
        throw RPCError(.invalidArgument, field: "rows",
                       "at most \(ImportCustomersMessage.maxRows) in one message of an import, got \(rows): "
                           + "send them in several messages")
    }

    /// The call's answer; an all-or-nothing import with a refused row is refused as a whole,
    /// INVALID_ARGUMENT with one detail per problem (field `line N: column`), the first
    /// `ImportCustomersResponse.maxRefusalDetails`; a dry run's answer lists up to `maxProblems`.
    private static func answer(_ outcome: CustomerImportOutcome, mode: CustomerImportMode) throws -> ImportCustomersResponse {
        let problems = outcome.problems.prefix(ImportCustomersResponse.maxProblems).map {
            ImportProblem(line: $0.line, field: $0.violation.field, reason: $0.violation.reason)
        }
        if mode == .allOrNothing, outcome.rejectedRows > 0 {
            let details = problems.prefix(ImportCustomersResponse.maxRefusalDetails).map {
                ErrorDetail(field: "line \($0.line): \($0.field)", reason: $0.reason)
            }
            // The first detail in the `field: reason` form, then the count (the rest are in the details).
            let summary = "\(outcome.rejectedRows) of \(outcome.rows) rows are invalid and nothing was imported"
            throw RPCError(
                .invalidArgument, details.first.map { "\($0.text) (\(summary))" } ?? summary, details: details)
        }
        return ImportCustomersResponse(
            rows: Int64(outcome.rows), imported: Int64(outcome.imported), rejectedRows: Int64(outcome.rejectedRows),
            problems: problems, dryRun: mode == .dryRun)
    }
}

/// One message of an import's stream: decoded, and its bytes as received for the idempotency
/// key's fingerprint (see `KeyedWrites.streamClaim`).
private struct Received: Sendable {
    let message: ImportCustomersMessage
    let bytes: [UInt8]
}

/// An import's rows as the store takes them, each account manager's name looked up once per import.
private struct ImportRows {
    let store: CustomerStore
    /// Rows converted so far, for the line of a record that names none.
    private var count: Int64 = 0
    private var managers: [String: NamedUser] = [:]

    init(store: CustomerStore) { self.store = store }

    mutating func convert(_ records: [CustomerRecord]) throws -> [CustomerImportRow] {
        try records.map { record in
            count += 1
            let line = record.line ?? count
            var problems: [FieldViolation] = []
            var managerID: Int64?
            if let name = record.fields.accountManager, !name.isEmpty {
                do {
                    managerID = try manager(named: name).id()
                } catch let error as RPCError {
                    problems += error.details.map { FieldViolation(field: $0.field, reason: $0.reason) }
                } catch StoreError.invalidArgument(let violations) {
                    problems += violations
                }
            }
            let fields = record.fields
            return CustomerImportRow(
                line: line,
                customer: NewCustomer(
                    number: fields.number, name: fields.name ?? "", accountManagerID: managerID,
                    description: fields.description, vatNumber: fields.vatNumber, country: fields.country,
                    industry: fields.industry, email: fields.email, website: fields.website, phone: fields.phone),
                businessID: record.businessId, address: record.address?.stored, contact: record.contact?.stored,
                contactKeywords: record.contactKeywords, contactRoles: record.contactRoles, problems: problems)
        }
    }

    private mutating func manager(named name: String) throws -> NamedUser {
        if let known = managers[name] { return known }
        let user = try store.namedUser(name, field: "accountManager")
        managers[name] = user
        return user
    }
}

extension CustomerRecord {
    init(_ stored: StoredCustomerRecord) {
        let customer = stored.customer
        self.init(
            fields: CustomerFields(
                number: customer.number, name: customer.name, accountManager: customer.accountManager?.name,
                description: customer.description, vatNumber: customer.vatNumber, country: customer.country,
                industry: customer.industry, email: customer.email, website: customer.website, phone: customer.phone),
            address: stored.headOffice.map { address in
                AddressFields(
                    street1: address.street.first, street2: address.street.dropFirst().first,
                    street3: address.street.dropFirst(2).first, postalCode: address.postalCode, city: address.city,
                    region: address.region, country: address.country, kind: Address.Kind(address.kind))
            },
            contact: stored.firstContact.map { contact in
                ContactFields(
                    firstName: contact.firstName, lastName: contact.lastName, title: contact.title, email: contact.email,
                    phone: contact.phone, mobile: contact.mobile, language: contact.language, notes: contact.notes)
            },
            businessId: customer.businessID, contactKeywords: stored.firstContact?.keywords ?? [],
            contactRoles: stored.firstContact?.roles ?? [])
    }
}
