import CommandLineKit
import CustomerClient

/// `customerctl users ...` and `customerctl whoami`.
enum UserCommands {
    static let uid = Option.value("uid", "UID", help: "The OS user id (see `id -u USER`).", required: true)
    static let name = Option.value("name", "NAME", help: "The user's name, shown in created/updated by.", required: true)
    static let profile = Option.value("profile", "PROFILE", help: """
        The permission profile (see `customerctl profiles list`).
        Default: Read only.
        """)
    static let administrator = Option.flag("administrator", help: "Give the user the built-in Administrator profile.")
    static let revoke = Option.flag("revoke", help: "Take the trust away again.")
    static let user = CommandArguments.user

    static let all: [CommandSpec] = [
        CommandSpec(
            ["users", "add"], summary: "Map an OS uid to a named user with a permission profile (administration).",
            options: [uid, name, profile, administrator],
            examples: ["customerctl users add --uid 1001 --name alice --profile Sales"]
        ) { invocation in
            guard let id: UInt32 = try invocation.integer(uid) else { throw UsageError("missing \(uid.spelling)") }
            let chosen = invocation.value(profile)
            if chosen != nil && invocation.flag(administrator) {
                throw UsageError("give \(profile.spelling) or \(administrator.spelling), not both")
            }
            let added = try await invocation.client.users.add(
                uid: id, name: invocation.value(name) ?? "", isAdministrator: invocation.flag(administrator), profile: chosen,
                options: invocation.callOptions)
            try invocation.printer.user(added)
        },
        CommandSpec(
            ["users", "list"], summary: "List the users with their profiles (administration).",
            examples: ["customerctl users list --output json"]
        ) { invocation in
            try invocation.printer.users(try await invocation.client.users.list(options: invocation.callOptions))
        },
        CommandSpec(
            ["users", "set-profile"], summary: "Give a user another permission profile (administration).",
            arguments: [user, profileName],
            notes: "Refused when it would leave no active user with the Administration right.",
            examples: ["customerctl users set-profile alice Consultant"]
        ) { invocation in
            try invocation.printer.user(
                try await invocation.client.users.setProfile(
                    user: try invocation.text(user), profile: try invocation.text(profileName, at: 1), options: invocation.callOptions))
        },
        CommandSpec(
            ["users", "deactivate"], summary: "Refuse a user's calls from now on (administration).",
            arguments: [deactivatedUser],
            notes: "Refused for the last active user with the Administration right.",
            examples: ["customerctl users deactivate alice"]
        ) { invocation in
            try invocation.printer.user(
                try await invocation.client.users.deactivate(user: try invocation.text(deactivatedUser), options: invocation.callOptions))
        },
        CommandSpec(
            ["users", "activate"], summary: "Let a deactivated user call again (administration).",
            arguments: [user], examples: ["customerctl users activate alice"]
        ) { invocation in
            try invocation.printer.user(
                try await invocation.client.users.activate(user: try invocation.text(user), options: invocation.callOptions))
        },
        CommandSpec(
            ["users", "trust"], summary: "Let a service user act for the people it names (administration).",
            arguments: [serviceUser], options: [revoke],
            notes: """
                A trusted service names the person with `--as PERSON` (metadata `acting-for`); the call
                is checked against the person's profile and recorded in the history as the person,
                with the service named beside them.
                """,
            examples: ["customerctl users trust webfront", "customerctl --as alice customers list      # run as webfront"]
        ) { invocation in
            try invocation.printer.user(
                try await invocation.client.users.setTrustedService(
                    user: try invocation.text(serviceUser), !invocation.flag(revoke), options: invocation.callOptions))
        },
        CommandSpec(
            ["whoami"], summary: "Show who you are to the server: user, profile and rights.",
            notes: "With --as PERSON (trusted services), shows the person and the service acting for them.",
            examples: ["customerctl whoami"]
        ) { invocation in
            try invocation.printer.whoAmI(try await invocation.client.users.whoAmI(options: invocation.callOptions))
        },
    ]

    static let deactivatedUser = Argument("USER", help: "The user's name. Undo with `customerctl users activate USER`.")
    static let serviceUser = Argument("USER", help: "The user a service (e.g. a web front end) runs as.")
    static let profileName = Argument("PROFILE", help: "The profile's name; it holds from the user's next call.")
}
