import Foundation

public struct CreateCustomerRequest: Codable, Sendable, Hashable {
    public var fields: CustomerFields

    public init(fields: CustomerFields) { self.fields = fields }

    enum CodingKeys: Int, CodingKey { case fields = 1 }
}

/// Names one customer: by id or by number, exactly one of them.
public struct GetCustomerRequest: Codable, Sendable, Hashable {
    public var id: Int64?
    public var number: Int64?

    public init(id: Int64? = nil, number: Int64? = nil) {
        self.id = id
        self.number = number
    }

    enum CodingKeys: Int, CodingKey { case id = 1, number = 2 }
}

/// A partial update: only the fields given change.
public struct UpdateCustomerRequest: Codable, Sendable, Hashable {
    public var id: Int64
    /// When given and not the current version, the update is refused with ABORTED and nothing changes.
    public var expectedVersion: Int64?
    public var fields: CustomerFields

    public init(id: Int64, expectedVersion: Int64? = nil, fields: CustomerFields) {
        self.id = id
        self.expectedVersion = expectedVersion
        self.fields = fields
    }

    enum CodingKeys: Int, CodingKey { case id = 1, expectedVersion = 2, fields = 3 }
}

/// Deactivate or activate a customer.
public struct SetCustomerActiveRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var expectedVersion: Int64?

    public init(id: Int64, expectedVersion: Int64? = nil) {
        self.id = id
        self.expectedVersion = expectedVersion
    }

    enum CodingKeys: Int, CodingKey { case id = 1, expectedVersion = 2 }
}

public struct DeleteCustomerRequest: Codable, Sendable, Hashable {
    public var id: Int64
    /// Must be true: deleting cannot be undone, so the caller says so explicitly.
    public var confirm: Bool

    public init(id: Int64, confirm: Bool) {
        self.id = id
        self.confirm = confirm
    }

    enum CodingKeys: Int, CodingKey { case id = 1, confirm = 2 }
}

public struct DeleteCustomerResponse: Codable, Sendable, Hashable {
    public var id: Int64

    public init(id: Int64) { self.id = id }

    enum CodingKeys: Int, CodingKey { case id = 1 }
}
