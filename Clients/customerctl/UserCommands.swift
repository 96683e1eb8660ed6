import CommandLineKit
import CustomerClient

/// `customerctl users ...`.
enum UserCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            ["users", "add"], summary: "Map an OS uid to a named user (administrators only).",
            usage: "users add --uid UID --name NAME [--administrator]",
            details: """
                OPTIONS:
                  --uid UID                The OS user id (see `id -u USER`).
                  --name NAME              The user's name, shown in created/updated by.
                  --administrator          Make the user an administrator.

                EXAMPLE:
                  customerctl users add --uid 1001 --name alice

                """,
            options: ["uid", "name"], flags: ["administrator"]
        ) { invocation in
            guard let uid: UInt32 = try invocation.arguments.integer("uid") else { throw UsageError("missing --uid") }
            guard let name = invocation.arguments.value("name") else { throw UsageError("missing --name") }
            let user = try await invocation.client.users.add(
                uid: uid, name: name, isAdministrator: invocation.arguments.flag("administrator"),
                options: invocation.callOptions)
            try Output(format: invocation.output).user(user)
        },
        CommandSpec(
            ["users", "list"], summary: "List the users.",
            usage: "users list",
            details: """
                EXAMPLE:
                  customerctl users list --output json

                """
        ) { invocation in
            try Output(format: invocation.output).users(try await invocation.client.users.list(options: invocation.callOptions))
        },
        CommandSpec(
            ["whoami"], summary: "Show the user this process's uid maps to.",
            usage: "whoami",
            details: """
                EXAMPLE:
                  customerctl whoami

                """
        ) { invocation in
            try Output(format: invocation.output).user(try await invocation.client.users.whoAmI(options: invocation.callOptions))
        },
    ]
}
