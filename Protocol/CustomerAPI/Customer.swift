import Foundation

/// A user of the service as other records refer to it: by id, with the name for display.
public struct UserRef: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }

    // Package-wide: the server writes a user's reference from a database row (see `Customer`).
    package enum CodingKeys: Int, CodingKey {
        case id = 1, name = 2
    }
}

/// The customer's own fields: the top of the card's contact-information tab.
///
/// `id` names this customer forever: a deleted customer's id is never given to another one (the
/// same holds for the ids of every other record). `number` is 1 to 9999999999.
///
/// Field numbers are the wire contract (see Protocol/ENCODING.md): never renumber, only add.
public struct Customer: Codable, Sendable, Hashable {
    public var id: Int64
    /// The customer number people quote: unique, 1 to 9999999999, assigned from a sequence when
    /// not given (the sequence skips numbers people gave and never hands out one a customer had).
    public var number: Int64
    public var name: String
    public var accountManager: UserRef?
    public var description: String?
    /// Canonical for the country, its check digits verified where the country has a rule
    /// (`FI01120389`, `NO923609016MVA`); else upper case without spaces, dashes or dots.
    public var vatNumber: String?
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String?
    public var industry: String?
    public var email: String?
    public var website: String?
    public var phone: String?
    public var active: Bool
    /// Increases by one on every write; send it back as `expectedVersion` to refuse lost updates.
    public var version: Int64
    public var createdAt: Date
    public var createdBy: UserRef
    public var updatedAt: Date
    public var updatedBy: UserRef
    /// The head office address; present on single-customer answers (get, create, update), absent
    /// in lists and streams.
    public var headOffice: Address?
    /// The national business id the VAT number names (`0112038-9`, `923609016`); also set alone
    /// when a bare Norwegian organisation number was typed as `vatNumber`, which asserts no VAT
    /// registration and so is not kept as one. Derived by the server, never sent by clients.
    public var businessId: String?
    /// The company's standing as the last registry refresh (not a dry run) read it, e.g.
    /// `bankruptcy since 2024-01-15 (KONK)`, `active; VAT registered since 1989-07-01`.
    public var registryStatus: String?
    /// When `registryStatus` was read. Neither field is part of the customer's `version`: a
    /// refresh that takes nothing changes only these two, so it never makes another client's
    /// update with `expectedVersion` fail (the history records each check).
    public var registryCheckedAt: Date?
    /// True for an erased customer (a tombstone): only the id, number and stamps remain, and
    /// clients show "Customer deleted". Absent otherwise.
    ///
    /// Declared last, in the order of the field numbers, not where the public initialiser takes it
    /// (after `active`): so the memberwise initialiser the compiler synthesises (internal; it exists
    /// because the public one is declared in an extension) differs from the public one, and the
    /// decoder builds a customer with it (`decoded(fields:)`), without the whole-record copy an
    /// explicit initialiser makes on the way out.
    public var deleted: Bool?

    // Package-wide: the server writes a listed customer straight from its database row, in the
    // order of `encodeFields` (HotMessages+DirectEncoding.swift), which CustomerPageEncodingTests checks.
    package enum CodingKeys: Int, CodingKey {
        case id = 1, number = 2, name = 3, accountManager = 4, description = 5, vatNumber = 6, country = 7
        case industry = 8, email = 9, website = 10, phone = 11, active = 12, version = 13
        case createdAt = 14, createdBy = 15, updatedAt = 16, updatedBy = 17, headOffice = 18
        case businessId = 19, registryStatus = 20, registryCheckedAt = 21, deleted = 22
    }

    /// Whether this is an erased customer's tombstone.
    public var isDeleted: Bool { deleted == true }
}

extension Customer {
    public init(
        id: Int64, number: Int64, name: String, accountManager: UserRef? = nil, description: String? = nil,
        vatNumber: String? = nil, country: String? = nil, industry: String? = nil, email: String? = nil,
        website: String? = nil, phone: String? = nil, active: Bool, deleted: Bool? = nil, version: Int64,
        createdAt: Date, createdBy: UserRef, updatedAt: Date, updatedBy: UserRef, headOffice: Address? = nil,
        businessId: String? = nil, registryStatus: String? = nil, registryCheckedAt: Date? = nil
    ) {
        self.id = id
        self.number = number
        self.name = name
        self.accountManager = accountManager
        self.description = description
        self.vatNumber = vatNumber
        self.country = country
        self.industry = industry
        self.email = email
        self.website = website
        self.phone = phone
        self.active = active
        self.deleted = deleted
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.headOffice = headOffice
        self.businessId = businessId
        self.registryStatus = registryStatus
        self.registryCheckedAt = registryCheckedAt
    }
}
