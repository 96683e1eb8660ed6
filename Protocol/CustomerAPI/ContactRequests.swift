public struct CreateContactRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    public var fields: ContactFields
    /// Names of existing keywords and roles to assign.
    public var keywords: [String]
    public var roles: [String]

    public init(customerId: Int64, fields: ContactFields, keywords: [String] = [], roles: [String] = []) {
        self.customerId = customerId
        self.fields = fields
        self.keywords = keywords
        self.roles = roles
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, fields = 2, keywords = 3, roles = 4 }
}

public struct UpdateContactRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var expectedVersion: Int64?
    public var fields: ContactFields

    public init(id: Int64, expectedVersion: Int64? = nil, fields: ContactFields) {
        self.id = id
        self.expectedVersion = expectedVersion
        self.fields = fields
    }

    enum CodingKeys: Int, CodingKey { case id = 1, expectedVersion = 2, fields = 3 }
}

/// Names one contact (get, deactivate, activate).
public struct ContactIDRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var expectedVersion: Int64?

    public init(id: Int64, expectedVersion: Int64? = nil) {
        self.id = id
        self.expectedVersion = expectedVersion
    }

    enum CodingKeys: Int, CodingKey { case id = 1, expectedVersion = 2 }
}

public struct ListContactsRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    /// Also list deactivated contacts (so they can be edited and reactivated). Deleted ones never.
    public var includeDeactivated: Bool?

    public init(customerId: Int64, includeDeactivated: Bool? = nil) {
        self.customerId = customerId
        self.includeDeactivated = includeDeactivated
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, includeDeactivated = 2 }
}

public struct ContactList: Codable, Sendable, Hashable {
    public var contacts: [Contact]

    public init(contacts: [Contact]) { self.contacts = contacts }

    enum CodingKeys: Int, CodingKey { case contacts = 1 }
}

/// Deleting cannot be undone: the personal data is erased and only a tombstone stays.
public struct DeleteContactRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var confirm: Bool

    public init(id: Int64, confirm: Bool) {
        self.id = id
        self.confirm = confirm
    }

    enum CodingKeys: Int, CodingKey { case id = 1, confirm = 2 }
}

/// Assigns (tag) or unassigns (untag) keywords and roles, by name.
public struct TagContactRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var keywords: [String]
    public var roles: [String]

    public init(id: Int64, keywords: [String] = [], roles: [String] = []) {
        self.id = id
        self.keywords = keywords
        self.roles = roles
    }

    enum CodingKeys: Int, CodingKey { case id = 1, keywords = 2, roles = 3 }
}

/// All active contacts, across all customers, carrying the keyword and/or the role.
public struct MailingListRequest: Codable, Sendable, Hashable {
    public var keyword: String?
    public var role: String?

    public init(keyword: String? = nil, role: String? = nil) {
        self.keyword = keyword
        self.role = role
    }

    enum CodingKeys: Int, CodingKey { case keyword = 1, role = 2 }
}

public struct MailingListEntry: Codable, Sendable, Hashable {
    public var contactId: Int64
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var customerId: Int64
    public var customerName: String
    public var customerEmail: String?

    public init(
        contactId: Int64, firstName: String?, lastName: String?, email: String?, customerId: Int64,
        customerName: String, customerEmail: String?
    ) {
        self.contactId = contactId
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.customerId = customerId
        self.customerName = customerName
        self.customerEmail = customerEmail
    }

    enum CodingKeys: Int, CodingKey {
        case contactId = 1, firstName = 2, lastName = 3, email = 4, customerId = 5, customerName = 6, customerEmail = 7
    }
}
