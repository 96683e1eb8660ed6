import Foundation

/// Which customers a list or stream returns, and in what order.
public struct CustomerQuery: Codable, Sendable, Hashable {
    public enum Status: Int, Codable, Sendable, CaseIterable {
        case active = 0, inactive = 1, all = 2
    }

    public enum Order: Int, Codable, Sendable, CaseIterable {
        case name = 0, number = 1
    }

    /// Default: active customers only.
    public var status: Status?
    /// Matches name, number, VAT number and email, ignoring case and accents.
    public var search: String?
    public var country: String?
    /// A user name.
    public var accountManager: String?
    /// Only customers updated at or after this instant.
    public var changedSince: Date?
    /// Default: by name.
    public var order: Order?

    public init(
        status: Status? = nil, search: String? = nil, country: String? = nil, accountManager: String? = nil,
        changedSince: Date? = nil, order: Order? = nil
    ) {
        self.status = status
        self.search = search
        self.country = country
        self.accountManager = accountManager
        self.changedSince = changedSince
        self.order = order
    }

    enum CodingKeys: Int, CodingKey {
        case status = 1, search = 2, country = 3, accountManager = 4, changedSince = 5, order = 6
    }
}

public struct ListCustomersRequest: Codable, Sendable, Hashable {
    /// Largest page a server returns; a larger limit is INVALID_ARGUMENT.
    public static let maximumLimit = 1000
    public static let defaultLimit = 50

    public var query: CustomerQuery
    /// 1 to `maximumLimit`; default `defaultLimit`.
    public var limit: Int32?
    /// The `nextPageToken` of the previous page, opaque; only valid with the same query.
    public var pageToken: String?

    public init(query: CustomerQuery = CustomerQuery(), limit: Int32? = nil, pageToken: String? = nil) {
        self.query = query
        self.limit = limit
        self.pageToken = pageToken
    }

    enum CodingKeys: Int, CodingKey { case query = 1, limit = 2, pageToken = 3 }
}

public struct ListCustomersResponse: Codable, Sendable, Hashable {
    public var customers: [Customer]
    /// Absent on the last page.
    public var nextPageToken: String?

    public init(customers: [Customer], nextPageToken: String?) {
        self.customers = customers
        self.nextPageToken = nextPageToken
    }

    // Package-wide: the server writes a page as it reads its rows (see `Customer.CodingKeys`).
    package enum CodingKeys: Int, CodingKey { case customers = 1, nextPageToken = 2 }
}

public struct StreamCustomersRequest: Codable, Sendable, Hashable {
    public var query: CustomerQuery

    public init(query: CustomerQuery = CustomerQuery()) { self.query = query }

    enum CodingKeys: Int, CodingKey { case query = 1 }
}
