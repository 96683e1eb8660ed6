import Foundation

/// How far a right over customers reaches: no customers, only the caller's own (those it is the
/// account manager of), or all customers.
public enum CustomerScope: Int, Codable, Sendable, CaseIterable {
    case none = 0, own = 1, all = 2
}

/// What a permission profile grants.
public struct Rights: Codable, Sendable, Hashable {
    /// Customers: read (the customer and everything on its card, its history and files).
    public var readCustomers: CustomerScope
    /// Customers: edit (create, change, deactivate; addresses, activities, files). Never further than read.
    public var editCustomers: CustomerScope
    /// Financial figures visible. Without it money fields are absent from answers and marked hidden.
    public var financialFigures: Bool
    /// May delete customers it may edit.
    public var deleteCustomers: Bool
    /// May create, edit, deactivate, tag and delete contact persons of customers it may read.
    public var manageContacts: Bool
    /// Users, profiles, keywords, roles, segments, industries.
    public var administration: Bool

    public init(
        readCustomers: CustomerScope = .none, editCustomers: CustomerScope = .none, financialFigures: Bool = false,
        deleteCustomers: Bool = false, manageContacts: Bool = false, administration: Bool = false
    ) {
        self.readCustomers = readCustomers
        self.editCustomers = editCustomers
        self.financialFigures = financialFigures
        self.deleteCustomers = deleteCustomers
        self.manageContacts = manageContacts
        self.administration = administration
    }

    enum CodingKeys: Int, CodingKey {
        case readCustomers = 1, editCustomers = 2, financialFigures = 3, deleteCustomers = 4, manageContacts = 5
        case administration = 6
    }
}

/// A partial change of rights: an absent field stays as it is.
public struct RightsChanges: Codable, Sendable, Hashable {
    public var readCustomers: CustomerScope?
    public var editCustomers: CustomerScope?
    public var financialFigures: Bool?
    public var deleteCustomers: Bool?
    public var manageContacts: Bool?
    public var administration: Bool?

    public init(
        readCustomers: CustomerScope? = nil, editCustomers: CustomerScope? = nil, financialFigures: Bool? = nil,
        deleteCustomers: Bool? = nil, manageContacts: Bool? = nil, administration: Bool? = nil
    ) {
        self.readCustomers = readCustomers
        self.editCustomers = editCustomers
        self.financialFigures = financialFigures
        self.deleteCustomers = deleteCustomers
        self.manageContacts = manageContacts
        self.administration = administration
    }

    enum CodingKeys: Int, CodingKey {
        case readCustomers = 1, editCustomers = 2, financialFigures = 3, deleteCustomers = 4, manageContacts = 5
        case administration = 6
    }
}

/// A named set of rights given to users. The built-in ones (Administrator, Sales, Consultant,
/// Read only) can be changed and renamed like any other.
public struct PermissionProfile: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var rights: Rights
    /// One of the four profiles every database starts with.
    public var builtIn: Bool
    public var version: Int64
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, name: String, rights: Rights, builtIn: Bool, version: Int64, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.rights = rights
        self.builtIn = builtIn
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: Int, CodingKey {
        case id = 1, name = 2, rights = 3, builtIn = 4, version = 5, createdAt = 6, updatedAt = 7
    }
}

public struct CreateProfileRequest: Codable, Sendable, Hashable {
    public var name: String
    public var rights: Rights

    public init(name: String, rights: Rights) {
        self.name = name
        self.rights = rights
    }

    enum CodingKeys: Int, CodingKey { case name = 1, rights = 2 }
}

public struct UpdateProfileRequest: Codable, Sendable, Hashable {
    /// The profile's current name (compared as every unique name is: ignoring case, compatibility
    /// forms and characters that do not show).
    public var name: String
    public var newName: String?
    public var rights: RightsChanges
    /// When given and stale, the update is ABORTED.
    public var expectedVersion: Int64?

    public init(name: String, newName: String? = nil, rights: RightsChanges = RightsChanges(), expectedVersion: Int64? = nil) {
        self.name = name
        self.newName = newName
        self.rights = rights
        self.expectedVersion = expectedVersion
    }

    enum CodingKeys: Int, CodingKey { case name = 1, newName = 2, rights = 3, expectedVersion = 4 }
}

public struct GetProfileRequest: Codable, Sendable, Hashable {
    public var name: String

    public init(name: String) { self.name = name }

    enum CodingKeys: Int, CodingKey { case name = 1 }
}

public struct ListProfilesRequest: Codable, Sendable, Hashable {
    public init() {}
}

/// Ordered by name.
public struct ProfileList: Codable, Sendable, Hashable {
    public var profiles: [PermissionProfile]

    public init(profiles: [PermissionProfile]) { self.profiles = profiles }

    enum CodingKeys: Int, CodingKey { case profiles = 1 }
}
