import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl health`, `customerctl server-info`, `customerctl services`: the runtime's built-ins.
enum ServerCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            ["health"], summary: "Ask whether the server is serving (exit 0 only when it is).",
            usage: "health [--service NAME]",
            details: """
                OPTIONS:
                  --service NAME           One service, e.g. customer.v1.CustomerService. Default: the server as a whole.

                EXAMPLE:
                  customerctl health && echo up

                """,
            options: ["service"]
        ) { invocation in
            let status = try await invocation.client.server.health(
                service: invocation.arguments.value("service") ?? "", options: invocation.callOptions)
            let name = Output.describe(status)
            if invocation.output == .json {
                try Output(format: .json).printJSON(["status": name])
            } else {
                print(name)
            }
            guard status == .serving else {
                throw RPCError(.unavailable, "the server answers \(name)")
            }
        },
        CommandSpec(
            ["server-info"], summary: "Show the server's versions, uptime, limits and call counters.",
            usage: "server-info",
            details: """
                EXAMPLE:
                  customerctl server-info --output json

                """
        ) { invocation in
            try Output(format: invocation.output).serverInfo(try await invocation.client.server.info(options: invocation.callOptions))
        },
        CommandSpec(
            ["services"], summary: "List the services and methods the server offers.",
            usage: "services",
            details: """
                EXAMPLE:
                  customerctl services

                """
        ) { invocation in
            let services = try await invocation.client.server.services(options: invocation.callOptions)
            if invocation.output == .json {
                try Output(format: .json).printJSON(services.map { service in
                    ["name": service.name, "methods": service.methods.map { "\($0.name) (\($0.kind))" }.joined(separator: ", ")]
                })
            } else {
                var table = TextTable(["SERVICE", "METHOD", "KIND"])
                for service in services {
                    for method in service.methods {
                        table.append([service.name, method.name, "\(method.kind)"])
                    }
                }
                print(table.render(), terminator: "")
            }
        },
    ]
}
