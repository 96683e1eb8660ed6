import CommandLineKit
import CustomerClient

/// `customerctl profiles ...`: permission profiles (administration).
enum ProfileCommands {
    static let rightOptions: Set<String> = [
        "read-customers", "edit-customers", "financial-figures", "delete-customers", "manage-contacts", "administration",
    ]

    static let rightsHelp = """
          --read-customers none|own|all    Customers: read, for no, own (account manager) or all customers.
          --edit-customers none|own|all    Customers: edit; never further than read.
          --financial-figures visible|hidden
                                           Money fields shown, or absent and marked hidden.
          --delete-customers yes|no        May delete customers it may edit.
          --manage-contacts yes|no         May create, edit, deactivate, tag and delete contacts.
          --administration yes|no          Users, profiles, keywords, roles, segments, industries.
        """

    /// The rights options given; absent options are nil.
    static func changes(from arguments: ParsedArguments) throws -> RightsChanges {
        RightsChanges(
            readCustomers: try scope(arguments, "read-customers"), editCustomers: try scope(arguments, "edit-customers"),
            financialFigures: try choice(arguments, "financial-figures", yes: "visible", no: "hidden"),
            deleteCustomers: try choice(arguments, "delete-customers"),
            manageContacts: try choice(arguments, "manage-contacts"), administration: try choice(arguments, "administration"))
    }

    private static func scope(_ arguments: ParsedArguments, _ option: String) throws -> CustomerScope? {
        guard let text = arguments.value(option) else { return nil }
        switch text {
        case "none": return CustomerScope.none
        case "own": return .own
        case "all": return .all
        default: throw UsageError("--\(option) takes 'none', 'own' or 'all', got '\(text)'")
        }
    }

    private static func choice(_ arguments: ParsedArguments, _ option: String, yes: String = "yes", no: String = "no")
        throws -> Bool? {
        guard let text = arguments.value(option) else { return nil }
        guard text == yes || text == no else {
            throw UsageError("--\(option) takes '\(yes)' or '\(no)', got '\(text)'")
        }
        return text == yes
    }

    static let all: [CommandSpec] = [
        CommandSpec(
            ["profiles", "create"], summary: "Create a permission profile (administration).",
            usage: "profiles create NAME [--read-customers S] [--edit-customers S] [--financial-figures visible|hidden] [--delete-customers yes|no] [--manage-contacts yes|no] [--administration yes|no]",
            details: """
                ARGUMENTS:
                  NAME                     The profile's name (unique, ignoring case).

                OPTIONS (a right not given is not granted):
                \(rightsHelp)

                EXAMPLE:
                  customerctl profiles create Auditor --read-customers all --financial-figures visible

                """,
            options: rightOptions, maxPositionals: 1
        ) { invocation in
            let given = try changes(from: invocation.arguments)
            let rights = Rights(
                readCustomers: given.readCustomers ?? CustomerScope.none, editCustomers: given.editCustomers ?? CustomerScope.none,
                financialFigures: given.financialFigures ?? false, deleteCustomers: given.deleteCustomers ?? false,
                manageContacts: given.manageContacts ?? false, administration: given.administration ?? false)
            try Output(format: invocation.output).profile(
                try await invocation.client.profiles.create(
                    name: try UserCommands.name(invocation, "NAME"), rights: rights, options: invocation.callOptions))
        },
        CommandSpec(
            ["profiles", "update"], summary: "Change a profile's rights or name; its users get them at once (administration).",
            usage: "profiles update NAME [--rename NEW] [--expect-version N] [rights options]",
            details: """
                ARGUMENTS:
                  NAME                     The profile's current name. Built-in profiles can be changed too.

                OPTIONS (only the rights given change):
                  --rename NEW             A new name.
                  --expect-version N       Refuse (ABORTED) if the profile changed since version N.
                \(rightsHelp)

                Refused when it would leave no active user with the Administration right.

                EXAMPLE:
                  customerctl profiles update Sales --delete-customers yes --edit-customers all

                """,
            options: rightOptions.union(["rename", "expect-version"]), maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).profile(
                try await invocation.client.profiles.update(
                    name: try UserCommands.name(invocation, "NAME"), newName: invocation.arguments.value("rename"),
                    rights: try changes(from: invocation.arguments),
                    expectedVersion: try invocation.arguments.integer("expect-version"), options: invocation.callOptions))
        },
        CommandSpec(
            ["profiles", "list"], summary: "List the permission profiles and their rights (administration).",
            usage: "profiles list",
            details: """
                EXAMPLE:
                  customerctl profiles list

                """
        ) { invocation in
            try Output(format: invocation.output).profiles(
                try await invocation.client.profiles.list(options: invocation.callOptions))
        },
        CommandSpec(
            ["profiles", "show"], summary: "Show one permission profile (administration).",
            usage: "profiles show NAME",
            details: """
                ARGUMENTS:
                  NAME                     The profile's name.

                EXAMPLE:
                  customerctl profiles show "Read only"

                """,
            maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).profile(
                try await invocation.client.profiles.get(
                    name: try UserCommands.name(invocation, "NAME"), options: invocation.callOptions))
        },
    ]
}
