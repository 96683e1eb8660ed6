import BusinessIdentifiers
import BusinessRegistry
import CustomerAPI
import CustomerStore
import RPCServing
import ServiceLog

/// Serves `customer.v1.CustomerService/RefreshFromRegistry`: compares a Finnish or Norwegian
/// customer with its national business registry and takes the registry's values of the chosen
/// fields and the company's standing, in one store transaction, recorded in the history as coming
/// from the registry. A dry run changes nothing, so Customers read is enough for it.
///
/// A method of CustomerService registered by its own service value: the router keys handlers by
/// full method name, and this one needs the registries, which the other customer methods do not.
struct RegistryRefreshHandler: GuardedService {
    var store: CustomerStore
    let registries: RegistryDirectory
    /// Registry failures are the server operator's business too: a registry that stopped
    /// answering, or changed its documents, shows in the log and not only to the caller.
    let logger: Logger
    /// A caller can ask again and again while a registry is down: its lines are bounded per OS
    /// user as failed calls' are (``ServerConfiguration/failedCallLogLimit``).
    let failureLog: PerUserLogRateLimiter

    func register(with router: inout GuardedRouter) {
        router.register(CustomerService.refreshFromRegistry, requires: .registryRefresh) { request, context in
            let caller = try Caller.of(context)
            return try refresh(request, by: caller, context: context)
        }
    }

    /// Straight line: check the customer, ask the registry (outside any transaction: it may take
    /// seconds), compare, and unless a dry run write the differences and the standing in one
    /// transaction that is refused (ABORTED) if the customer changed meanwhile.
    private func refresh(_ request: RefreshFromRegistryRequest, by caller: Caller,
                         context: ServerContext) throws -> RefreshFromRegistryResponse {
        try RepeatedFieldCap.check(request.fields.count, field: "fields")
        let customer = try store.customer(id: request.customerId)
        // An erased customer's identifiers are gone and it takes no changes: refused as every
        // write to a tombstone is, dry run or not, before any registry is asked.
        if customer.deleted { throw StoreError.deletedCustomer(customer.id, field: "customerId") }
        let (provider, vatNumber) = try registryTarget(of: customer)
        let record: RegistryRecord
        do {
            record = try RegistryLookup.record(
                from: provider, for: vatNumber, timeout: registries.timeout,
                url: registries.baseURLs[provider.country]?.absoluteString ?? provider.country, context: context)
        } catch {
            if let suppressed = failureLog.admit(uid: context.peer.uid) {
                logger.warning("registry lookup failed: \(error)", LogRateLimiter.fields([
                    ("customer", String(customer.id)), ("businessId", vatNumber.businessID ?? vatNumber.canonical),
                    ("registry", provider.country), ("uid", "\(context.peer.uid)"),
                ], suppressed: suppressed))
            }
            throw error
        }

        let plan = RegistryRefreshPlan.plan(request, for: customer, from: record)
        let (fields, differences) = (plan.fields, plan.differences)
        var after = customer
        let apply = !request.dryRun && plan.changesFields
        if let update = plan.update {
            // The client may have given up while the registry was asked: a call it sees fail writes nothing.
            try context.checkCancellation()
            after = try store.answering(context).applyRegistryUpdate(customerID: customer.id, update, expectedVersion: customer.version,
                                                                     by: caller.author)
        }
        return RefreshFromRegistryResponse(
            differences: differences.map {
                RegistryDifference(field: RefreshField($0.field), current: $0.current, registry: $0.registry,
                                   withheld: plan.withheld[$0.field])
            },
            applied: apply,
            deregistered: record.deregistered.map { RegistryDeregistration(date: $0.date, reason: $0.reason) },
            emailNote: fields.contains(.email) ? RegistryRefreshPlan.emailNote(for: record) : nil,
            registry: RegistrySource(name: record.registry, url: record.sourceURL.absoluteString),
            customer: Customer(after),
            standing: plan.standing,
            situations: record.situations.map {
                RegistrySituation(kind: $0.kind == .other ? "situation" : $0.kind.rawValue, code: $0.code,
                                  since: $0.since)
            },
            vatRegistration: record.vatRegistration.map {
                RegistryVATRegistration(registered: $0.registered, date: $0.date)
            },
            parent: record.parent.map { RegistryParentUnit(businessId: $0.businessID, name: $0.name) },
            warnings: RegistryRefreshPlan.warnings(for: record, customerVATNumber: customer.vatNumber))
    }

    /// The provider of the customer's country (or, without one, of its VAT number's prefix) and
    /// its checked VAT number or business id, or the reason the customer cannot be refreshed:
    /// outside Finland and Norway (FAILED_PRECONDITION), with neither a VAT number nor a business
    /// id (FAILED_PRECONDITION), or with one its country's rule refuses (INVALID_ARGUMENT, checked
    /// before anything is asked of a registry).
    private func registryTarget(of customer: StoredCustomer) throws -> (any RegistryProvider, VATNumber) {
        let supported = RegistryDirectory.supportedCountries.joined(separator: " and ")
        let typed = customer.vatNumber ?? customer.businessID
        let country = customer.country ?? typed.flatMap { try? VATNumber.parse($0, country: nil).country }
        guard let country, let provider = registries.provider(for: country) else {
            let place = (customer.country ?? country).map { "is in \($0)" } ?? "has no country"
            throw RPCError(
                .failedPrecondition, field: "country",
                "customer \(customer.id) \(place): a registry refresh is only possible for customers in \(supported)")
        }
        guard let typed else {
            throw RPCError(
                .failedPrecondition, field: "vatNumber",
                "customer \(customer.id) has no VAT number: enter it first, the registry is asked by it")
        }
        do {
            return (provider, try VATNumber.parse(typed, country: country))
        } catch {
            throw RPCError(.invalidArgument, field: "vatNumber", error.description)
        }
    }
}

extension Requirement where Input == RefreshFromRegistryRequest {
    /// Customers read for a dry run (it changes nothing: the Read only profile may look),
    /// Customers edit otherwise, on the customer named.
    static var registryRefresh: Requirement {
        Requirement("\(Right.readCustomers.title) for a dry run, \(Right.editCustomers.title) otherwise "
            + "(on the customer named)") { input, permission in
            try permission.requireCustomers(input.dryRun ? .read : .edit, on: .customer(id: input.customerId))
        }
    }
}

extension RefreshField {
    init(_ field: RegistryField) {
        switch field {
        case .name: self = .name
        case .address: self = .address
        case .email: self = .email
        case .website: self = .website
        }
    }

    var registryField: RegistryField {
        switch self {
        case .name: return .name
        case .address: return .address
        case .email: return .email
        case .website: return .website
        }
    }
}

extension StoredCustomer {
    /// The refreshable fields as the registry comparison reads them; the head office as the address.
    var registryValues: CustomerRegistryValues {
        CustomerRegistryValues(
            name: name,
            address: headOffice.map {
                RegistryAddress(lines: $0.street, postalCode: $0.postalCode, city: $0.city, country: $0.country)
            },
            email: email, website: website)
    }
}
