import CustomerClient
import Foundation

/// Output of users, permission profiles and rights.
extension Output {
    func users(_ users: [User]) throws {
        guard format == .table else { return try printJSON(users) }
        var table = TextTable(["ID", "UID", "NAME", "PROFILE", "ACTIVE", "TRUSTED SERVICE", "CREATED"])
        for user in users {
            table.append([
                String(user.id), String(user.uid), user.name, user.profile ?? "-", user.active ? "yes" : "no",
                user.trustedService == true ? "yes" : "no", Self.timestamp(user.createdAt),
            ])
        }
        print(table.render(), terminator: "")
    }

    func user(_ user: User) throws {
        try users([user])
    }

    /// Who the caller is to the server, and what it may do.
    func whoAmI(_ user: User) throws {
        guard format == .table else { return try printJSON(user) }
        var fields = FieldList()
        fields.add("user", "\(user.name) (id \(user.id), uid \(user.uid))")
        if let service = user.actingService {
            fields.add("acting through", Self.describe(service))
        }
        fields.add("profile", user.profile)
        fields.add("trusted service", user.trustedService == true ? "yes" : "no")
        if let rights = user.rights {
            Self.add(rights, to: &fields)
        }
        print(fields.render(), terminator: "")
    }

    func profile(_ profile: PermissionProfile) throws {
        guard format == .table else { return try printJSON(profile) }
        var fields = FieldList()
        fields.add("id", String(profile.id))
        fields.add("name", profile.name + (profile.builtIn ? " (built in)" : ""))
        Self.add(profile.rights, to: &fields)
        fields.add("version", String(profile.version))
        fields.add("updated", Self.timestamp(profile.updatedAt))
        print(fields.render(), terminator: "")
    }

    func profiles(_ profiles: [PermissionProfile]) throws {
        guard format == .table else { return try printJSON(profiles) }
        var table = TextTable([
            "NAME", "READ CUSTOMERS", "EDIT CUSTOMERS", "FINANCIAL FIGURES", "DELETE CUSTOMERS", "MANAGE CONTACTS",
            "ADMINISTRATION",
        ])
        for profile in profiles {
            let rights = profile.rights
            table.append([
                profile.name, Self.describe(rights.readCustomers), Self.describe(rights.editCustomers),
                Self.financialFigures(rights.financialFigures), Self.yesNo(rights.deleteCustomers),
                Self.yesNo(rights.manageContacts), Self.yesNo(rights.administration),
            ])
        }
        print(table.render(), terminator: "")
    }

    /// A money field as the CLI prints it: "hidden" when the caller may not see financial
    /// figures (the server left it out and marked the message hidden), else the amount.
    static func money(_ amount: Decimal?, hidden: Bool?) -> String {
        hidden == true ? "hidden" : amount.map { "\($0)" } ?? "-"
    }

    private static func add(_ rights: Rights, to fields: inout FieldList) {
        fields.add("customers: read", describe(rights.readCustomers))
        fields.add("customers: edit", describe(rights.editCustomers))
        fields.add("financial figures", financialFigures(rights.financialFigures))
        fields.add("delete customers", yesNo(rights.deleteCustomers))
        fields.add("manage contacts", yesNo(rights.manageContacts))
        fields.add("administration", yesNo(rights.administration))
    }

    static func describe(_ scope: CustomerScope) -> String {
        switch scope {
        case .none: return "none"
        case .own: return "own customers"
        case .all: return "all customers"
        }
    }

    private static func financialFigures(_ visible: Bool) -> String { visible ? "visible" : "hidden" }

    private static func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }
}
