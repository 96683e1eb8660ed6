/// Adds an address; the customer's first address becomes its head office.
public struct AddAddressRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    public var fields: AddressFields

    public init(customerId: Int64, fields: AddressFields) {
        self.customerId = customerId
        self.fields = fields
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, fields = 2 }
}

public struct UpdateAddressRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var expectedVersion: Int64?
    public var fields: AddressFields

    public init(id: Int64, expectedVersion: Int64? = nil, fields: AddressFields) {
        self.id = id
        self.expectedVersion = expectedVersion
        self.fields = fields
    }

    enum CodingKeys: Int, CodingKey { case id = 1, expectedVersion = 2, fields = 3 }
}

/// Names one address (remove, set as head office).
public struct AddressIDRequest: Codable, Sendable, Hashable {
    public var id: Int64

    public init(id: Int64) { self.id = id }

    enum CodingKeys: Int, CodingKey { case id = 1 }
}

/// Names one customer (list its addresses, contacts, activities; invoicing readiness).
public struct CustomerIDRequest: Codable, Sendable, Hashable {
    public var customerId: Int64

    public init(customerId: Int64) { self.customerId = customerId }

    enum CodingKeys: Int, CodingKey { case customerId = 1 }
}

/// A customer's addresses, head office first.
public struct AddressList: Codable, Sendable, Hashable {
    public var addresses: [Address]

    public init(addresses: [Address]) { self.addresses = addresses }

    public var headOffice: Address? { addresses.first(where: \.isHeadOffice) }

    enum CodingKeys: Int, CodingKey { case addresses = 1 }
}

/// Whether invoicing integrations can use this customer, and if not, what is missing.
public struct InvoicingReadiness: Codable, Sendable, Hashable {
    public var ready: Bool
    /// The missing items by field name: "headOffice", "vatNumber".
    public var missing: [String]
    public var headOffice: Address?
    public var vatNumber: String?

    public init(ready: Bool, missing: [String], headOffice: Address?, vatNumber: String?) {
        self.ready = ready
        self.missing = missing
        self.headOffice = headOffice
        self.vatNumber = vatNumber
    }

    enum CodingKeys: Int, CodingKey { case ready = 1, missing = 2, headOffice = 3, vatNumber = 4 }
}
