import Foundation

/// How other records name a contact person. A deleted contact keeps its id and loses its name:
/// `deleted` is true and `name` nil, and clients show "Contact deleted".
public struct StoredContactRef: Sendable, Hashable {
    public var id: Int64
    /// "First Last" (either part alone when the other is not set); nil once deleted.
    public var name: String?
    public var deleted: Bool

    public init(id: Int64, name: String?, deleted: Bool) {
        self.id = id
        self.name = name
        self.deleted = deleted
    }
}

/// A contact person of a customer as stored. After deletion only the tombstone remains: id,
/// customer id, `deleted` true, inactive, every personal field nil and no keywords or roles.
public struct StoredContact: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var email: String?
    public var phone: String?
    public var mobile: String?
    /// BCP 47 style: lower-case language, optional upper-case region ("fi", "nb-NO").
    public var language: String?
    public var notes: String?
    /// Keyword names, sorted.
    public var keywords: [String]
    /// Role names, sorted.
    public var roles: [String]
    public var active: Bool
    public var deleted: Bool
    /// Starts at 1; +1 on every write. Pass it back as `expectedVersion` to refuse lost updates.
    public var version: Int64
    public var createdAt: Date
    public var createdBy: StoredUserRef
    public var updatedAt: Date
    public var updatedBy: StoredUserRef

    public init(id: Int64, customerID: Int64, firstName: String? = nil, lastName: String? = nil, title: String? = nil,
                email: String? = nil, phone: String? = nil, mobile: String? = nil, language: String? = nil,
                notes: String? = nil, keywords: [String] = [], roles: [String] = [], active: Bool, deleted: Bool,
                version: Int64, createdAt: Date, createdBy: StoredUserRef, updatedAt: Date, updatedBy: StoredUserRef) {
        self.id = id
        self.customerID = customerID
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

    /// The reference other records carry.
    public var ref: StoredContactRef {
        StoredContactRef(id: id, name: deleted ? nil : StoredContactRef.displayName(firstName, lastName), deleted: deleted)
    }
}

extension StoredContactRef {
    /// "First Last", or whichever part is set.
    static func displayName(_ first: String?, _ last: String?) -> String? {
        let parts = [first, last].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}

/// The input of `createContact` and `updateContact`: `nil` means "not given" (unchanged on update);
/// an empty or blank string clears a field. A contact always keeps a first or a last name.
public struct StoredContactFields: Sendable, Hashable {
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var email: String?
    public var phone: String?
    public var mobile: String?
    public var language: String?
    public var notes: String?

    public init(firstName: String? = nil, lastName: String? = nil, title: String? = nil, email: String? = nil,
                phone: String? = nil, mobile: String? = nil, language: String? = nil, notes: String? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.title = title
        self.email = email
        self.phone = phone
        self.mobile = mobile
        self.language = language
        self.notes = notes
    }
}

/// One line of a mailing list: an active contact of an active customer.
public struct StoredMailingListEntry: Sendable, Hashable {
    public var contactID: Int64
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var customerID: Int64
    public var customerName: String
    public var customerEmail: String?

    public init(contactID: Int64, firstName: String?, lastName: String?, email: String?, customerID: Int64,
                customerName: String, customerEmail: String?) {
        self.contactID = contactID
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.customerID = customerID
        self.customerName = customerName
        self.customerEmail = customerEmail
    }
}
