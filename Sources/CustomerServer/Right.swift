import CustomerStore

/// One right of a permission profile, as refusals name it.
enum Right: String, Sendable, CaseIterable {
    // Raw values are the API's field names in `Rights`, sent in a refusal's details.
    case readCustomers, editCustomers, financialFigures, deleteCustomers, manageContacts, administration

    /// How the README, the CLI and refusals name it.
    var title: String {
        switch self {
        case .readCustomers: "Customers: read"
        case .editCustomers: "Customers: edit"
        case .financialFigures: "Financial figures"
        case .deleteCustomers: "Delete customers"
        case .manageContacts: "Manage contacts"
        case .administration: "Administration"
        }
    }
}

extension PermissionRights {
    /// How far a Customers right reaches.
    func scope(_ right: Right) -> CustomerScope {
        switch right {
        case .readCustomers: readCustomers
        case .editCustomers: editCustomers
        case .financialFigures: financialFigures ? .all : .none
        case .deleteCustomers: deleteCustomers ? .all : .none
        case .manageContacts: manageContacts ? .all : .none
        case .administration: administration ? .all : .none
        }
    }
}
