import CustomerAPI
import CustomerStore

// Permission profiles and rights between the API and the store. Both modules name their scope
// `CustomerScope` and their profile `PermissionProfile`; StoreTypes.swift and APITypes.swift
// give them unambiguous names here.

extension CustomerScope {
    init(_ stored: StoredCustomerScope) {
        switch stored {
        case .none: self = .none
        case .own: self = .own
        case .all: self = .all
        }
    }

    var stored: StoredCustomerScope {
        switch self {
        case .none: return .none
        case .own: return .own
        case .all: return .all
        }
    }
}

extension Rights {
    init(_ stored: PermissionRights) {
        self.init(
            readCustomers: CustomerScope(stored.readCustomers), editCustomers: CustomerScope(stored.editCustomers),
            financialFigures: stored.financialFigures, deleteCustomers: stored.deleteCustomers,
            manageContacts: stored.manageContacts, administration: stored.administration)
    }

    var stored: PermissionRights {
        PermissionRights(
            readCustomers: readCustomers.stored, editCustomers: editCustomers.stored, financialFigures: financialFigures,
            deleteCustomers: deleteCustomers, manageContacts: manageContacts, administration: administration)
    }
}

extension UpdateProfileRequest {
    var storedChanges: ProfileChanges {
        ProfileChanges(
            name: newName, readCustomers: rights.readCustomers?.stored, editCustomers: rights.editCustomers?.stored,
            financialFigures: rights.financialFigures, deleteCustomers: rights.deleteCustomers,
            manageContacts: rights.manageContacts, administration: rights.administration)
    }
}

extension PermissionProfile {
    init(_ stored: StoredPermissionProfile) {
        self.init(
            id: stored.id, name: stored.name, rights: Rights(stored.rights), builtIn: stored.builtIn != nil,
            version: stored.version, createdAt: stored.createdAt, updatedAt: stored.updatedAt)
    }
}
