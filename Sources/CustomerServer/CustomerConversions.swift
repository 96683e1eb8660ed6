import CustomerAPI
import CustomerStore
import RPCServing

extension APIUserRef {
    init(_ stored: StoredUserRef) {
        self.init(id: stored.id, name: stored.name)
    }
}

extension APIUser {
    /// - Parameter service: the trusted service acting for the user in this call (WhoAmI only).
    init(_ stored: StoredUser, actingService service: StoredUser? = nil) {
        self.init(
            id: stored.id, uid: stored.uid, name: stored.name, isAdministrator: stored.isAdministrator,
            active: stored.active, createdAt: stored.createdAt, profile: stored.profile.name,
            trustedService: stored.trustedService, rights: Rights(stored.rights),
            actingService: service.map { APIUserRef($0.ref) })
    }
}

extension APICustomer {
    init(_ stored: StoredCustomer) {
        self.init(
            id: stored.id, number: stored.number, name: stored.name,
            accountManager: stored.accountManager.map(APIUserRef.init), description: stored.description,
            vatNumber: stored.vatNumber, country: stored.country, industry: stored.industry, email: stored.email,
            website: stored.website, phone: stored.phone, active: stored.active, version: stored.version,
            createdAt: stored.createdAt, createdBy: APIUserRef(stored.createdBy),
            updatedAt: stored.updatedAt, updatedBy: APIUserRef(stored.updatedBy),
            headOffice: stored.headOffice.map(CustomerAPI.Address.init))
    }
}

extension CustomerQuery {
    /// The store's filter for this query; the account manager is resolved from its name.
    func storeFilter(resolvingWith store: Store) throws -> CustomerFilter {
        var filter = CustomerFilter()
        switch status ?? .active {
        case .active: filter.status = .active
        case .inactive: filter.status = .inactive
        case .all: filter.status = .all
        }
        filter.search = search
        filter.country = country
        // Checked here too, not only by the store: a caller who sees no customer is never asked the store.
        if let changedSince, let violation = TimestampRange.violation(changedSince, field: "query.changedSince") {
            throw StoreError.invalidArgument([violation])
        }
        filter.changedSince = changedSince
        if let accountManager {
            filter.accountManagerID = try store.userID(named: accountManager, field: "query.accountManager")
        }
        return filter
    }

    var storeOrder: CustomerOrder {
        switch order ?? .name {
        case .name: return .byName
        case .number: return .byNumber
        }
    }
}

extension Store {
    /// The id of the user with this name, or INVALID_ARGUMENT on `field` when there is none (or
    /// the name holds a control character, which no user name has and no message should echo).
    func userID(named name: String, field: String) throws -> Int64 {
        try TextInput.refuseControlCharacters(inName: name, field: field)
        guard let user = try user(name: name) else {
            throw RPCError(
                .invalidArgument, "\(field): no user is named '\(name)'",
                details: [ErrorDetail(field: field, reason: "no user is named '\(name)'")])
        }
        return user.id
    }
}
