import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl health`, `customerctl server-info`, `customerctl services`: the runtime's built-ins.
enum ServerCommands {
    static let service = Option.value(
        "service", "NAME", help: "One service, e.g. customer.v1.CustomerService. Default: the server as a whole.")

    static let all: [CommandSpec] = [
        CommandSpec(
            ["health"], summary: "Ask whether the server is serving (exit 0 only when it is).",
            options: [service], examples: ["customerctl health && echo up"]
        ) { invocation in
            let status = try await invocation.client.server.health(
                service: invocation.value(service) ?? "", options: invocation.callOptions)
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
            ["server-info"],
            summary: "Show the server's versions, uptime, limits, call counters and latencies by method, and its store (the counters and the store to its users only).",
            examples: ["customerctl server-info --output json"]
        ) { invocation in
            let server = invocation.client.server
            let info = try await server.info(options: invocation.callOptions)
            let store: StoreStatusResponse?
            do {
                store = try await server.storeStatus(options: invocation.callOptions)
            } catch let error as RPCError where error.code == .unimplemented {
                store = nil   // a server older than customer.v1.ServerStatusService
            } catch let error as RPCError where error.code == .unauthenticated && info.statisticsWithheld {
                store = nil   // not a user: the server info says what is withheld
            }
            try invocation.printer.serverInfo(info, store: store)
        },
        CommandSpec(
            ["services"], summary: "List the services and methods the server offers.", examples: ["customerctl services"]
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
