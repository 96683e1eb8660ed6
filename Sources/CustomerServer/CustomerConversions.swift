import CustomerAPI
import CustomerStore
import RPCServing

extension UserRef {
    init(_ stored: StoredUserRef) {
        self.init(id: stored.id, name: stored.name)
    }
}

extension User {
    /// - Parameter service: the trusted service acting for the user in this call (WhoAmI only).
    init(_ stored: StoredUser, actingService service: StoredUser? = nil) {
        self.init(
            id: stored.id, uid: stored.uid, name: stored.name, isAdministrator: stored.isAdministrator,
            active: stored.active, createdAt: stored.createdAt, profile: stored.profile.name,
            trustedService: stored.trustedService, rights: Rights(stored.rights),
            actingService: service.map { UserRef($0.ref) })
    }
}

extension Customer {
    /// Consumes the record: its strings move into the message instead of being retained twice.
    init(_ stored: consuming StoredCustomer) {
        self.init(
            id: stored.id, number: stored.number, name: stored.name,
            accountManager: stored.accountManager.map(UserRef.init), description: stored.description,
            vatNumber: stored.vatNumber, country: stored.country, industry: stored.industry, email: stored.email,
            website: stored.website, phone: stored.phone, active: stored.active, deleted: stored.deleted ? true : nil,
            version: stored.version,
            createdAt: stored.createdAt, createdBy: UserRef(stored.createdBy),
            updatedAt: stored.updatedAt, updatedBy: UserRef(stored.updatedBy),
            headOffice: stored.headOffice.map(Address.init), businessId: stored.businessID,
            registryStatus: stored.registryStatus, registryCheckedAt: stored.registryCheckedAt)
    }
}

extension CustomerQuery {
    /// The store's filter for this query narrowed to the customers the call's caller may see, or
    /// nil when that leaves none (lists and streams then answer nothing rather than refuse).
    func visibleFilter(_ context: ServerContext, resolvingWith store: CustomerStore) throws -> CustomerFilter? {
        try Caller.of(context).visibleCustomers.restrict(try storeFilter(resolvingWith: store))
    }

    /// The store's filter for this query; the account manager is resolved from its name.
    func storeFilter(resolvingWith store: CustomerStore) throws -> CustomerFilter {
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
