import Foundation

/// How a record refers to a contact person. A deleted contact keeps its id and loses its name:
/// `deleted` is then true and `name` absent, and clients show "Contact deleted".
public struct ContactRef: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String?
    public var deleted: Bool

    public init(id: Int64, name: String?, deleted: Bool) {
        self.id = id
        self.name = name
        self.deleted = deleted
    }

    // Package-wide: the server writes the card's contact tab from the store's records.
    package enum CodingKeys: Int, CodingKey { case id = 1, name = 2, deleted = 3 }
}

/// A contact person of a customer. After deletion only the tombstone remains: `deleted` is true
/// and every personal field is absent.
public struct Contact: Codable, Sendable, Hashable {
    public var id: Int64
    public var customerId: Int64
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var email: String?
    public var phone: String?
    public var mobile: String?
    /// A language tag such as "fi", "en", "nb".
    public var language: String?
    public var notes: String?
    public var keywords: [String]
    public var roles: [String]
    public var active: Bool
    public var version: Int64
    public var createdAt: Date
    public var createdBy: UserRef
    public var updatedAt: Date
    public var updatedBy: UserRef
    /// True for a deleted contact's tombstone.
    ///
    /// Declared last, not where the public initialiser takes it (after `active`): so the memberwise
    /// initialiser the compiler synthesises differs from the public one, and the decoder builds
    /// the value with it (see `Customer.deleted`).
    public var deleted: Bool

    /// "First Last", or nil for a deleted contact.
    public var displayName: String? {
        guard !deleted else { return nil }
        return [firstName, lastName].compactMap { $0 }.joined(separator: " ")
    }

    // Package-wide: the server writes the card's contact tab from the store's records.
    package enum CodingKeys: Int, CodingKey {
        case id = 1, customerId = 2, firstName = 3, lastName = 4, title = 5, email = 6, phone = 7, mobile = 8
        case language = 9, notes = 10, keywords = 11, roles = 12, active = 13, deleted = 14, version = 15
        case createdAt = 16, createdBy = 17, updatedAt = 18, updatedBy = 19
    }
}

extension Contact {
    public init(
        id: Int64, customerId: Int64, firstName: String?, lastName: String?, title: String?, email: String?,
        phone: String?, mobile: String?, language: String?, notes: String?, keywords: [String], roles: [String],
        active: Bool, deleted: Bool, version: Int64, createdAt: Date, createdBy: UserRef, updatedAt: Date,
        updatedBy: UserRef
    ) {
        self.id = id
        self.customerId = customerId
        self.firstName = firstName
        self.lastName = lastName
        self.title = title
        self.email = email
        self.phone = phone
        self.mobile = mobile
        self.language = language
        self.notes = notes
        self.keywords = keywords
        self.roles = roles
        self.active = active
        self.deleted = deleted
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// The editable fields of a contact: `nil` = not given; in an update "" clears an optional field.
public struct ContactFields: Codable, Sendable, Hashable {
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var email: String?
    public var phone: String?
    public var mobile: String?
    public var language: String?
    public var notes: String?

    public init(
        firstName: String? = nil, lastName: String? = nil, title: String? = nil, email: String? = nil,
        phone: String? = nil, mobile: String? = nil, language: String? = nil, notes: String? = nil
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.title = title
        self.email = email
        self.phone = phone
        self.mobile = mobile
        self.language = language
        self.notes = notes
    }

    public var isEmpty: Bool { self == ContactFields() }

    enum CodingKeys: Int, CodingKey {
        case firstName = 1, lastName = 2, title = 3, email = 4, phone = 5, mobile = 6, language = 7, notes = 8
    }
}
