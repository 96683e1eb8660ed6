import Foundation

/// What an address is used for.
public enum AddressKind: String, Sendable, Hashable, CaseIterable {
    case visiting, postal, billing, delivery
}

/// An address of a customer as stored. Optional text fields are `nil` when not set (never empty).
public struct StoredAddress: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    /// 0 to 3 non-empty street lines, in order.
    public var street: [String]
    public var postalCode: String?
    public var city: String?
    public var region: String?
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String
    public var kind: AddressKind
    /// Whether this is the customer's head office (exactly one of a customer's addresses is).
    public var isHeadOffice: Bool
    /// Starts at 1; +1 on every write. Pass it back as `expectedVersion` to refuse lost updates.
    public var version: Int64
    public var createdAt: Date
    public var createdBy: StoredUserRef
    public var updatedAt: Date
    public var updatedBy: StoredUserRef

    public init(id: Int64, customerID: Int64, street: [String], postalCode: String?, city: String?, region: String?,
                country: String, kind: AddressKind, isHeadOffice: Bool, version: Int64, createdAt: Date,
                createdBy: StoredUserRef, updatedAt: Date, updatedBy: StoredUserRef) {
        self.id = id
        self.customerID = customerID
        self.street = street
        self.postalCode = postalCode
        self.city = city
        self.region = region
        self.country = country
        self.kind = kind
        self.isHeadOffice = isHeadOffice
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// The input of `addAddress` and `updateAddress`: `nil` means "not given" (unchanged on update);
/// an empty or blank string clears an optional field. The country is required on add and cannot be cleared.
///
/// `street1` to `street3` address the lines of `Address.street` by position; lines are stored packed,
/// so clearing line 1 of two moves line 2 up.
public struct StoredAddressFields: Sendable, Hashable {
    public var street1: String?
    public var street2: String?
    public var street3: String?
    public var postalCode: String?
    public var city: String?
    public var region: String?
    public var country: String?
    public var kind: AddressKind?

    public init(street1: String? = nil, street2: String? = nil, street3: String? = nil, postalCode: String? = nil,
                city: String? = nil, region: String? = nil, country: String? = nil, kind: AddressKind? = nil) {
        self.street1 = street1
        self.street2 = street2
        self.street3 = street3
        self.postalCode = postalCode
        self.city = city
        self.region = region
        self.country = country
        self.kind = kind
    }
}

/// What an invoicing integration needs of a customer, and what is missing of it.
public struct StoredInvoicingReadiness: Sendable, Hashable {
    /// The missing items by API name: `headOffice`, `vatNumber`; empty when ready.
    public var missing: [String]
    public var headOffice: StoredAddress?
    public var vatNumber: String?

    public init(missing: [String], headOffice: StoredAddress?, vatNumber: String?) {
        self.missing = missing
        self.headOffice = headOffice
        self.vatNumber = vatNumber
    }
}
