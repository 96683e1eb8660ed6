import BusinessIdentifiers
import BusinessRegistry
import CustomerAPI
import CustomerStore
import RPC

/// Serves `customer.v1.CustomerService/RefreshFromRegistry`: compares a Finnish or Norwegian
/// customer with its national business registry and takes the registry's values of the chosen
/// fields, in one store transaction, recorded in the history as coming from the registry.
///
/// A method of CustomerService registered by its own service value: the router keys handlers by
/// full method name, and this one needs the registries, which the other customer methods do not.
struct RegistryRefreshHandler: GuardedService {
    var store: CustomerStore
    let registries: RegistryDirectory

    func register(with router: inout GuardedRouter) {
        router.register(CustomerService.refreshFromRegistry, requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            return try refresh(request, by: caller, context: context)
        }
    }

    /// Straight line: check the customer, ask the registry (outside any transaction: it may take
    /// seconds), compare, and unless a dry run write the differences in one transaction that is
    /// refused (ABORTED) if the customer changed meanwhile.
    private func refresh(_ request: RefreshFromRegistryRequest, by caller: Caller,
                         context: ServerContext) throws -> RefreshFromRegistryResponse {
        let customer = try store.customer(id: request.customerId)
        let (provider, vatNumber) = try registryTarget(of: customer)
        let record = try RegistryLookup.record(
            from: provider, for: vatNumber, timeout: registries.timeout,
            url: registries.baseURLs[provider.country]?.absoluteString ?? provider.country, context: context)

        let fields = request.fields.isEmpty ? Set(RegistryField.allCases) : Set(request.fields.map(\.registryField))
        // A field the registry has no value for is not refreshed: an unregistered website or a
        // deleted company's missing address says nothing about the customer's own.
        let differences = RegistryDiff.differences(current: customer.registryValues, registry: record, fields: fields)
            .filter { $0.registry != nil }
        var after = customer
        let apply = !request.dryRun && !differences.isEmpty
        if apply {
            // The client may have given up while the registry was asked: a call it sees fail writes nothing.
            try context.checkCancellation()
            after = try store.applyRegistryUpdate(
                customerID: customer.id, RegistryRefreshPlan.update(for: differences, from: record),
                expectedVersion: customer.version, by: caller.author)
        }
        return RefreshFromRegistryResponse(
            differences: differences.map {
                RegistryDifference(field: RefreshField($0.field), current: $0.current, registry: $0.registry)
            },
            applied: apply,
            deregistered: record.deregistered.map { RegistryDeregistration(date: $0.date, reason: $0.reason) },
            emailNote: fields.contains(.email) ? RegistryRefreshPlan.emailNote(for: record) : nil,
            registry: RegistrySource(name: record.registry, url: record.sourceURL.absoluteString),
            customer: Customer(after))
    }

    /// The provider of the customer's country and its checked VAT number, or the reason the
    /// customer cannot be refreshed: outside Finland and Norway (FAILED_PRECONDITION), without a
    /// VAT number (FAILED_PRECONDITION), or with one its country's rule refuses (INVALID_ARGUMENT,
    /// checked before anything is asked of a registry).
    private func registryTarget(of customer: StoredCustomer) throws -> (any RegistryProvider, VATNumber) {
        let supported = RegistryDirectory.supportedCountries.joined(separator: " and ")
        guard let country = customer.country, let provider = registries.provider(for: country) else {
            let place = customer.country.map { "is in \($0)" } ?? "has no country"
            throw RPCError(
                .failedPrecondition,
                "customer \(customer.id) \(place): a registry refresh is only possible for customers in \(supported)",
                details: [ErrorDetail(field: "country", reason: "must be one of \(supported)")])
        }
        guard let typed = customer.vatNumber else {
            throw RPCError(
                .failedPrecondition,
                "customer \(customer.id) has no VAT number: enter it first, the registry is asked by it",
                details: [ErrorDetail(field: "vatNumber", reason: "required for a registry refresh")])
        }
        do {
            return (provider, try VATNumber.parse(typed, country: country))
        } catch {
            throw RPCError(
                .invalidArgument, "customer \(customer.id)'s VAT number is not valid in \(country): \(error)",
                details: [ErrorDetail(field: "vatNumber", reason: error.description)])
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
