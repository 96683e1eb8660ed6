import Foundation

/// Which customers a listing includes by their active flag.
public enum ActivityFilter: String, Sendable, Hashable {
    case active
    case inactive
    case all
}

/// What `listCustomers` and `streamCustomers` select. Every given condition must hold.
public struct CustomerFilter: Sendable, Hashable {
    public var status: ActivityFilter
    /// Matched, ignoring case and accents, anywhere in the name, number, VAT number or email.
    public var search: String?
    /// ISO 3166-1 alpha-2 (any case).
    public var country: String?
    public var accountManagerID: Int64?
    /// Only customers updated at or after this instant.
    public var changedSince: Date?

    public init(status: ActivityFilter = .active, search: String? = nil, country: String? = nil,
                accountManagerID: Int64? = nil, changedSince: Date? = nil) {
        self.status = status
        self.search = search
        self.country = country
        self.accountManagerID = accountManagerID
        self.changedSince = changedSince
    }
}

/// The order of a listing; each is total (ties broken by id) so pages never overlap.
public enum CustomerOrder: String, Sendable, Hashable {
    /// By name ignoring case and accents, then by id.
    case byName
    /// By customer number.
    case byNumber
    /// By id, the one key an update never changes: a stream in this order delivers every row that
    /// exists throughout exactly once, renamed or renumbered meanwhile or not (a stream by name
    /// skips a row renamed behind its cursor and repeats one renamed past it). Not on the wire.
    case byID
}

/// One page of a listing.
public struct CustomerPage: Sendable, Hashable {
    public var customers: [StoredCustomer]
    /// Pass to the next call for the following page; `nil` on the last page.
    public var nextPageToken: String?

    public init(customers: [StoredCustomer], nextPageToken: String?) {
        self.customers = customers
        self.nextPageToken = nextPageToken
    }
}
