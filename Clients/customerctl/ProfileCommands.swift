import CommandLineKit
import CustomerClient

/// `customerctl profiles ...`: permission profiles (administration).
enum ProfileCommands {
    static let readCustomers = Option.value(
        "read-customers", help: "Customers: read, for no, own (account manager) or all customers.", choices: ["none", "own", "all"])
    static let editCustomers = Option.value(
        "edit-customers", help: "Customers: edit; never further than read.", choices: ["none", "own", "all"])
    static let financialFigures = Option.value(
        "financial-figures", help: "Money fields shown, or absent and marked hidden.", choices: ["visible", "hidden"])
    static let deleteCustomers = Option.value("delete-customers", help: "May delete customers it may edit.", choices: ["yes", "no"])
    static let manageContacts = Option.value(
        "manage-contacts", help: "May create, edit, deactivate, tag and delete contacts.", choices: ["yes", "no"])
    static let administration = Option.value(
        "administration", help: "Users, profiles, keywords, roles, segments, industries.", choices: ["yes", "no"])

    static let rights = [readCustomers, editCustomers, financialFigures, deleteCustomers, manageContacts, administration]

    static let newProfile = Argument("NAME", help: "The profile's name (unique as it prints: ignoring case, width and characters that do not show).")
    static let currentProfile = Argument("NAME", help: "The profile's current name. Built-in profiles can be changed too.")
    static let shownProfile = Argument("NAME", help: "The profile's name.")

    static let rename = Option.value("rename", "NEW", help: "A new name.")
    static let expectVersion = CommandArguments.expectVersion(of: "the profile", valueName: "N")

    /// The rights options given; absent options are nil.
    static func changes(from invocation: Invocation) -> RightsChanges {
        RightsChanges(
            readCustomers: scope(invocation.value(readCustomers)), editCustomers: scope(invocation.value(editCustomers)),
            financialFigures: invocation.value(financialFigures).map { $0 == "visible" },
            deleteCustomers: invocation.value(deleteCustomers).map { $0 == "yes" },
            manageContacts: invocation.value(manageContacts).map { $0 == "yes" },
            administration: invocation.value(administration).map { $0 == "yes" })
    }

    /// One of the scope option's choices (already checked by the parser).
    private static func scope(_ text: String?) -> CustomerScope? {
        switch text {
        case "own": return .own
        case "all": return .all
        case "none": return CustomerScope.none
        default: return nil
        }
    }

    static let all: [CommandSpec] = [
        CommandSpec(
            ["profiles", "create"], summary: "Create a permission profile (administration).",
            arguments: [newProfile], options: rights,
            notes: "A right not given is not granted.",
            examples: ["customerctl profiles create Auditor --read-customers all --financial-figures visible"]
        ) { invocation in
            let given = changes(from: invocation)
            let rights = Rights(
                readCustomers: given.readCustomers ?? CustomerScope.none, editCustomers: given.editCustomers ?? CustomerScope.none,
                financialFigures: given.financialFigures ?? false, deleteCustomers: given.deleteCustomers ?? false,
                manageContacts: given.manageContacts ?? false, administration: given.administration ?? false)
            try invocation.printer.profile(
                try await invocation.client.profiles.create(
                    name: try invocation.text(newProfile), rights: rights, options: invocation.callOptions))
        },
        CommandSpec(
            ["profiles", "update"], summary: "Change a profile's rights or name; its users get them at once (administration).",
            arguments: [currentProfile],
            options: [rename, expectVersion] + rights,
            notes: """
                Only the rights given change.
                Refused when it would leave no active user with the Administration right.
                """,
            examples: ["customerctl profiles update Sales --delete-customers yes --edit-customers all"]
        ) { invocation in
            try invocation.printer.profile(
                try await invocation.client.profiles.update(
                    name: try invocation.text(currentProfile), newName: invocation.value(rename),
                    rights: changes(from: invocation),
                    expectedVersion: try invocation.integer(expectVersion), options: invocation.callOptions))
        },
        CommandSpec(
            ["profiles", "list"], summary: "List the permission profiles and their rights (administration).",
            examples: ["customerctl profiles list"]
        ) { invocation in
            try invocation.printer.profiles(try await invocation.client.profiles.list(options: invocation.callOptions))
        },
        CommandSpec(
            ["profiles", "show"], summary: "Show one permission profile (administration).",
            arguments: [shownProfile], examples: ["customerctl profiles show \"Read only\""]
        ) { invocation in
            try invocation.printer.profile(
                try await invocation.client.profiles.get(name: try invocation.text(shownProfile), options: invocation.callOptions))
        },
    ]
}
