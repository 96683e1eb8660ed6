import CommandLineKit
import CustomerClient

/// `customerctl users ...` and `customerctl whoami`.
enum UserCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            ["users", "add"], summary: "Map an OS uid to a named user with a permission profile (administration).",
            usage: "users add --uid UID --name NAME [--profile PROFILE | --administrator]",
            details: """
                OPTIONS:
                  --uid UID                The OS user id (see `id -u USER`).
                  --name NAME              The user's name, shown in created/updated by.
                  --profile PROFILE        The permission profile (see `customerctl profiles list`).
                                           Default: Read only.
                  --administrator          Give the user the built-in Administrator profile.

                EXAMPLE:
                  customerctl users add --uid 1001 --name alice --profile Sales

                """,
            options: ["uid", "name", "profile"], flags: ["administrator"]
        ) { invocation in
            guard let uid: UInt32 = try invocation.arguments.integer("uid") else { throw UsageError("missing --uid") }
            guard let name = invocation.arguments.value("name") else { throw UsageError("missing --name") }
            let profile = invocation.arguments.value("profile")
            if profile != nil && invocation.arguments.flag("administrator") {
                throw UsageError("give --profile or --administrator, not both")
            }
            let user = try await invocation.client.users.add(
                uid: uid, name: name, isAdministrator: invocation.arguments.flag("administrator"), profile: profile,
                options: invocation.callOptions)
            try Output(format: invocation.output).user(user)
        },
        CommandSpec(
            ["users", "list"], summary: "List the users with their profiles (administration).",
            usage: "users list",
            details: """
                EXAMPLE:
                  customerctl users list --output json

                """
        ) { invocation in
            try Output(format: invocation.output).users(try await invocation.client.users.list(options: invocation.callOptions))
        },
        CommandSpec(
            ["users", "set-profile"], summary: "Give a user another permission profile (administration).",
            usage: "users set-profile USER PROFILE",
            details: """
                ARGUMENTS:
                  USER                     The user's name.
                  PROFILE                  The profile's name; it holds from the user's next call.

                Refused when it would leave no active user with the Administration right.

                EXAMPLE:
                  customerctl users set-profile alice Consultant

                """,
            maxPositionals: 2
        ) { invocation in
            let (user, profile) = try twoNames(invocation, "USER", "PROFILE")
            try Output(format: invocation.output).user(
                try await invocation.client.users.setProfile(user: user, profile: profile, options: invocation.callOptions))
        },
        CommandSpec(
            ["users", "deactivate"], summary: "Refuse a user's calls from now on (administration).",
            usage: "users deactivate USER",
            details: """
                ARGUMENTS:
                  USER                     The user's name. Undo with `customerctl users activate USER`.

                Refused for the last active user with the Administration right.

                EXAMPLE:
                  customerctl users deactivate alice

                """,
            maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).user(
                try await invocation.client.users.deactivate(user: try name(invocation), options: invocation.callOptions))
        },
        CommandSpec(
            ["users", "activate"], summary: "Let a deactivated user call again (administration).",
            usage: "users activate USER",
            details: """
                ARGUMENTS:
                  USER                     The user's name.

                EXAMPLE:
                  customerctl users activate alice

                """,
            maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).user(
                try await invocation.client.users.activate(user: try name(invocation), options: invocation.callOptions))
        },
        CommandSpec(
            ["users", "trust"], summary: "Let a service user act for the people it names (administration).",
            usage: "users trust USER [--revoke]",
            details: """
                ARGUMENTS:
                  USER                     The user a service (e.g. a web front end) runs as.

                OPTIONS:
                  --revoke                 Take the trust away again.

                A trusted service names the person with `--as PERSON` (metadata `acting-for`); the call
                is checked against the person's profile and recorded in the history as the person,
                with the service named beside them.

                EXAMPLE:
                  customerctl users trust webfront
                  customerctl --as alice customers list      # run as webfront

                """,
            flags: ["revoke"], maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).user(
                try await invocation.client.users.setTrustedService(
                    user: try name(invocation), !invocation.arguments.flag("revoke"), options: invocation.callOptions))
        },
        CommandSpec(
            ["whoami"], summary: "Show who you are to the server: user, profile and rights.",
            usage: "whoami",
            details: """
                With --as PERSON (trusted services), shows the person and the service acting for them.

                EXAMPLE:
                  customerctl whoami

                """
        ) { invocation in
            try Output(format: invocation.output).whoAmI(try await invocation.client.users.whoAmI(options: invocation.callOptions))
        },
    ]

    /// The single positional argument: a user's or profile's name.
    static func name(_ invocation: Invocation, _ what: String = "USER") throws -> String {
        guard let name = invocation.arguments.positionals.first else { throw UsageError("missing \(what)") }
        return name
    }

    private static func twoNames(_ invocation: Invocation, _ first: String, _ second: String) throws -> (String, String) {
        let positionals = invocation.arguments.positionals
        guard positionals.count == 2 else {
            throw UsageError("missing \(positionals.isEmpty ? first : second)")
        }
        return (positionals[0], positionals[1])
    }
}
