import CustomerAPI
import CustomerStore
import Hashing
import RPCServing

/// Serves the bulk side of `customer.v1.CustomerService`: ImportCustomers (a client stream of rows,
/// all written in one transaction) and ExportCustomers (a server stream of the same records).
struct CustomerImportHandler: GuardedService {
    var store: CustomerStore

    /// The source history records for an imported customer, address and contact.
    static let historySource = "import"

    func register(with router: inout GuardedRouter) {
        let keyedWrites = router.keyedWrites
        router.register(
            clientStreaming: CustomerService.importCustomers,
            first: { (message: ImportCustomersMessage) -> ImportCustomersMessage in message },
            requires: .allCustomers(.edit)
        ) { [store] (first: ImportCustomersMessage, messages: ClientStreamReader<ImportCustomersMessage>, context)
            -> ImportCustomersResponse in
            let options = first.options ?? ImportOptions()
            let key = try KeyedWrites.key(of: context)
            var fingerprint = SHA256()
            var rows = ImportRows(store: store)
            var message = first
            while true {
                if key != nil { try KeyedWrites.fingerprint(message, into: &fingerprint) }
                try rows.add(message.rows)
                guard let next = try messages.next() else { break }
                guard next.options == nil else {
                    throw RPCError(.invalidArgument, "options: only the first message of an import carries them",
                                   details: [ErrorDetail(field: "options", reason: "only in the first message")])
                }
                try context.checkCancellation()
                message = next
            }
            var author = try Caller.of(context).author
            author.source = Self.historySource
            let mode: CustomerImportMode = options.dryRun == true ? .dryRun
                : options.continueOnError == true ? .continueOnError : .allOrNothing
            let received = rows.rows
            let run = { (store: CustomerStore) throws -> ImportCustomersResponse in
                let outcome = try store.importCustomers(
                    received, mode: mode, allowDuplicateVAT: options.allowDuplicateVat ?? false, by: author)
                return try Self.answer(outcome, mode: mode)
            }
            // A dry run writes nothing, so there is nothing a retry could do twice.
            guard mode != .dryRun, let key, let keyedWrites else { return try run(store) }
            return try keyedWrites.runStream(CustomerService.importCustomers, key: key, fingerprint: fingerprint, context, run)
        }
        router.register(CustomerService.exportCustomers, requires: .visibleCustomers) {
            (request: StreamCustomersRequest, writer: ServerStreamWriter<CustomerRecord>, context) in
            guard let filter = try request.query.visibleFilter(context, resolvingWith: store) else { return }
            try store.streamCustomerRecords(filter, order: request.query.storeOrder) { record in
                try context.checkCancellation()
                try writer.send(CustomerRecord(record))
            }
        }
    }

    /// The most problems a refusal lists as details: a STATUS must stay small (PROTOCOL.md 5.3);
    /// a dry run's answer lists up to `ImportCustomersResponse.maxProblems`.
    static let maxDetails = 100

    /// The call's answer; an all-or-nothing import with a refused row is refused as a whole,
    /// INVALID_ARGUMENT with one detail per problem (field `line N: column`), the first `maxDetails`.
    private static func answer(_ outcome: CustomerImportOutcome, mode: CustomerImportMode) throws -> ImportCustomersResponse {
        let problems = outcome.problems.prefix(ImportCustomersResponse.maxProblems).map {
            ImportProblem(line: $0.line, field: $0.violation.field, reason: $0.violation.reason)
        }
        if mode == .allOrNothing, outcome.rejectedRows > 0 {
            let first = problems.first.map { "; the first: line \($0.line), \($0.field): \($0.reason)" } ?? ""
            throw RPCError(
                .invalidArgument,
                "\(outcome.rejectedRows) of \(outcome.rows) rows are invalid and nothing was imported\(first)",
                details: problems.prefix(maxDetails).map { ErrorDetail(field: "line \($0.line): \($0.field)", reason: $0.reason) })
        }
        return ImportCustomersResponse(
            rows: Int64(outcome.rows), imported: Int64(outcome.imported), rejectedRows: Int64(outcome.rejectedRows),
            problems: problems, dryRun: mode == .dryRun)
    }
}

/// An import's rows as the store takes them, each account manager's name looked up once per import.
private struct ImportRows {
    let store: CustomerStore
    var rows: [CustomerImportRow] = []
    private var managers: [String: NamedUser] = [:]

    init(store: CustomerStore) { self.store = store }

    mutating func add(_ records: [CustomerRecord]) throws {
        for record in records {
            let line = record.line ?? Int64(rows.count + 1)
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
            rows.append(CustomerImportRow(
                line: line,
                customer: NewCustomer(
                    number: fields.number, name: fields.name ?? "", accountManagerID: managerID,
                    description: fields.description, vatNumber: fields.vatNumber, country: fields.country,
                    industry: fields.industry, email: fields.email, website: fields.website, phone: fields.phone),
                address: record.address?.stored, contact: record.contact?.stored, problems: problems))
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
            })
    }
}
