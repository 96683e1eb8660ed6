import Foundation

/// One address of a customer. A customer with addresses has exactly one head office.
public struct Address: Codable, Sendable, Hashable {
    public enum Kind: Int, Codable, Sendable, CaseIterable {
        case visiting = 0, postal = 1, billing = 2, delivery = 3
    }

    public var id: Int64
    public var customerId: Int64
    /// Up to three street lines, in order; empty lines are not kept.
    public var street: [String]
    public var postalCode: String?
    public var city: String?
    public var region: String?
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String
    public var kind: Kind
    public var version: Int64
    public var createdAt: Date
    public var createdBy: UserRef
    public var updatedAt: Date
    public var updatedBy: UserRef
    /// Whether this is the customer's head office (exactly one address of a customer is).
    ///
    /// Declared last, not where the public initialiser takes it (after `kind`): so the memberwise
    /// initialiser the compiler synthesises differs from the public one, and the decoder builds
    /// the value with it (see `Customer.deleted`).
    public var isHeadOffice: Bool

    // Package-wide: the server writes the card's contact tab from the store's records.
    package enum CodingKeys: Int, CodingKey {
        case id = 1, customerId = 2, street = 3, postalCode = 4, city = 5, region = 6, country = 7, kind = 8
        case isHeadOffice = 9, version = 10, createdAt = 11, createdBy = 12, updatedAt = 13, updatedBy = 14
    }
}

extension Address {
    public init(
        id: Int64, customerId: Int64, street: [String], postalCode: String?, city: String?, region: String?,
        country: String, kind: Kind, isHeadOffice: Bool, version: Int64, createdAt: Date, createdBy: UserRef,
        updatedAt: Date, updatedBy: UserRef
    ) {
        self.id = id
        self.customerId = customerId
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

/// The editable fields of an address: `nil` = not given; in an update "" clears an optional field.
public struct AddressFields: Codable, Sendable, Hashable {
    public var street1: String?
    public var street2: String?
    public var street3: String?
    public var postalCode: String?
    public var city: String?
    public var region: String?
    public var country: String?
    public var kind: Address.Kind?

    public init(
        street1: String? = nil, street2: String? = nil, street3: String? = nil, postalCode: String? = nil,
        city: String? = nil, region: String? = nil, country: String? = nil, kind: Address.Kind? = nil
    ) {
        self.street1 = street1
        self.street2 = street2
        self.street3 = street3
        self.postalCode = postalCode
        self.city = city
        self.region = region
        self.country = country
        self.kind = kind
    }

    public var isEmpty: Bool { self == AddressFields() }

    enum CodingKeys: Int, CodingKey {
        case street1 = 1, street2 = 2, street3 = 3, postalCode = 4, city = 5, region = 6, country = 7, kind = 8
    }
}

extension Address {
    /// "Keilalahdentie 4, 02150 Espoo, FI": street lines, postal code and city, region, country.
    /// The one way an address is written on a line, by the CLI and in an invoice's snapshot.
    public static func oneLine(street: [String], postalCode: String?, city: String?, region: String?, country: String) -> String {
        let place = [postalCode, city].compactMap { $0 }.joined(separator: " ")
        return (street + [place, region, country].compactMap { $0 }.filter { !$0.isEmpty }).joined(separator: ", ")
    }

    public var oneLine: String {
        Self.oneLine(street: street, postalCode: postalCode, city: city, region: region, country: country)
    }
}
