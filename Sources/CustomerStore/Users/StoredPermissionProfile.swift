import Foundation

/// How far a right over customers reaches.
///
/// Ordered: `none < own < all`. *Own* customers are those whose account manager is the user.
public enum StoredCustomerScope: String, Sendable, Hashable, CaseIterable, Comparable {
    case none
    case own
    case all

    public static func < (lhs: StoredCustomerScope, rhs: StoredCustomerScope) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .none: 0
        case .own: 1
        case .all: 2
        }
    }
}

/// What a permission profile grants.
public struct PermissionRights: Sendable, Hashable {
    /// Customers: read (and everything that hangs on a customer: addresses, contacts, activities,
    /// history, files), for no, own or all customers.
    public var readCustomers: StoredCustomerScope
    /// Customers: edit (create, change, deactivate; add addresses, activities, files). Never
    /// reaches further than `readCustomers`.
    public var editCustomers: StoredCustomerScope
    /// Financial figures visible; without it money fields are absent from answers and marked hidden.
    public var financialFigures: Bool
    /// May delete customers (within the edit scope).
    public var deleteCustomers: Bool
    /// May create, edit, deactivate, tag and delete contact persons (of customers it may read).
    public var manageContacts: Bool
    /// Users, profiles, keywords, roles, segments, industries.
    public var administration: Bool

    public init(readCustomers: StoredCustomerScope = .none, editCustomers: StoredCustomerScope = .none,
                financialFigures: Bool = false, deleteCustomers: Bool = false, manageContacts: Bool = false,
                administration: Bool = false) {
        self.readCustomers = readCustomers
        self.editCustomers = editCustomers
        self.financialFigures = financialFigures
        self.deleteCustomers = deleteCustomers
        self.manageContacts = manageContacts
        self.administration = administration
    }

    /// Every right, for every customer.
    public static let everything = PermissionRights(
        readCustomers: .all, editCustomers: .all, financialFigures: true, deleteCustomers: true, manageContacts: true,
        administration: true)

    /// The violations of the rules between rights (empty when the combination is valid).
    func violations() -> [FieldViolation] {
        var violations: [FieldViolation] = []
        if editCustomers > readCustomers {
            violations.append(FieldViolation(
                field: "rights.editCustomers",
                reason: "cannot reach further than readCustomers (\(readCustomers.rawValue))"))
        }
        if deleteCustomers && editCustomers == .none {
            violations.append(FieldViolation(field: "rights.deleteCustomers", reason: "needs editCustomers own or all"))
        }
        return violations
    }
}

/// The profiles the first migration creates; editable (even renamable) afterwards, never removed.
public enum BuiltInProfile: String, Sendable, Hashable, CaseIterable {
    case administrator
    case sales
    case consultant
    case readOnly = "read-only"

    /// The profile of users added without one (and of every non-administrator the migration found):
    /// least privilege, so nobody gains a right an administrator did not hand out.
    public static let defaultForNewUsers = BuiltInProfile.readOnly
}

/// A named set of rights that users are given.
public struct StoredPermissionProfile: Sendable, Hashable {
    public var id: Int64
    /// Unique ignoring case in every script (`UniqueName.fold`); 1-64 characters, trimmed.
    public var name: String
    public var rights: PermissionRights
    /// Which built-in profile this is; nil for profiles created later.
    public var builtIn: BuiltInProfile?
    /// +1 on every update (optimistic concurrency).
    public var version: Int64
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, name: String, rights: PermissionRights, builtIn: BuiltInProfile?, version: Int64,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.rights = rights
        self.builtIn = builtIn
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A partial change of a profile: nil leaves a field as it is.
public struct ProfileChanges: Sendable, Hashable {
    public var name: String?
    public var readCustomers: StoredCustomerScope?
    public var editCustomers: StoredCustomerScope?
    public var financialFigures: Bool?
    public var deleteCustomers: Bool?
    public var manageContacts: Bool?
    public var administration: Bool?

    public init(name: String? = nil, readCustomers: StoredCustomerScope? = nil, editCustomers: StoredCustomerScope? = nil,
                financialFigures: Bool? = nil, deleteCustomers: Bool? = nil, manageContacts: Bool? = nil,
                administration: Bool? = nil) {
        self.name = name
        self.readCustomers = readCustomers
        self.editCustomers = editCustomers
        self.financialFigures = financialFigures
        self.deleteCustomers = deleteCustomers
        self.manageContacts = manageContacts
        self.administration = administration
    }

    /// `rights` with these changes applied.
    func applied(to rights: PermissionRights) -> PermissionRights {
        var result = rights
        result.readCustomers = readCustomers ?? rights.readCustomers
        result.editCustomers = editCustomers ?? rights.editCustomers
        result.financialFigures = financialFigures ?? rights.financialFigures
        result.deleteCustomers = deleteCustomers ?? rights.deleteCustomers
        result.manageContacts = manageContacts ?? rights.manageContacts
        result.administration = administration ?? rights.administration
        return result
    }
}
