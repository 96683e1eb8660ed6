import CustomerStore

/// One right of a permission profile, as refusals name it.
enum Right: String, Sendable, CaseIterable {
    // Raw values are the API's field names in `Rights`, sent in a refusal's details.
    case readCustomers, editCustomers, financialFigures, deleteCustomers, manageContacts, administration

    /// How docs/PERMISSIONS.md, the CLI and refusals name it.
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
    /// Whether the right is held at all (a Customers right: for own or all customers).
    func grants(_ right: Right) -> Bool {
        switch right {
        case .readCustomers: readCustomers > .none
        case .editCustomers: editCustomers > .none
        case .financialFigures: financialFigures
        case .deleteCustomers: deleteCustomers
        case .manageContacts: manageContacts
        case .administration: administration
        }
    }

    /// How far reading or editing customers reaches.
    func scope(_ access: CustomerAccess) -> StoredCustomerScope {
        access == .read ? readCustomers : editCustomers
    }
}
