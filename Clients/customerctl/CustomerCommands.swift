import CommandLineKit
import CustomerClient
import Foundation
import ServiceLog

/// `customerctl customers ...`.
enum CustomerCommands {
    typealias Options = CustomerOptions

    static let all: [CommandSpec] = [
        CommandSpec(
            ["customers", "create"], summary: "Create a customer.",
            options: [Options.name.required()]
                + Options.fieldOptions.dropFirst() + [Options.allowDuplicateVat],
            examples: ["customerctl customers create --name \"Acme Oy\" --country FI --vat FI01120389 --email info@acme.fi"]
        ) { invocation in
            let customer = try await invocation.client.customers.create(
                try Options.fields(from: invocation), allowDuplicateVat: invocation.flag(Options.allowDuplicateVat),
                options: invocation.callOptions)
            try invocation.printer.customer(customer)
        },
        CommandSpec(
            ["customers", "get"], summary: "Show one customer, by id or by number.",
            arguments: [optionalCustomer],
            options: [byNumber],
            examples: ["customerctl customers get 42", "customerctl customers get --number 10001 --output json"]
        ) { invocation in
            let customer: Customer
            if let number: Int64 = try invocation.integer(byNumber) {
                guard invocation.arguments.positionals.isEmpty else {
                    throw UsageError("give an ID or --number, not both")
                }
                customer = try await invocation.client.customers.get(number: number, options: invocation.callOptions)
            } else {
                customer = try await invocation.client.customers.get(
                    id: try invocation.id(optionalCustomer), options: invocation.callOptions)
            }
            try invocation.printer.customer(customer)
        },
        CommandSpec(
            ["customers", "update"], summary: "Change some fields of a customer; the others stay as they are.",
            arguments: [CommandArguments.customer],
            options: [Options.expectVersion] + Options.fieldOptions + [Options.allowDuplicateVat],
            notes: "An empty value clears a field, e.g. --phone \"\".",
            examples: ["customerctl customers update 42 --expect-version 3 --email billing@acme.fi"]
        ) { invocation in
            let id = try invocation.id()
            let fields = try Options.fields(from: invocation)
            guard !fields.isEmpty else { throw UsageError("nothing to change: give at least one field option") }
            let customer = try await invocation.client.customers.update(
                id: id, fields, expectedVersion: try invocation.integer(Options.expectVersion),
                allowDuplicateVat: invocation.flag(Options.allowDuplicateVat), options: invocation.callOptions)
            try invocation.printer.customer(customer)
        },
        CommandSpec(
            ["customers", "list"], summary: "List customers, one page at a time.",
            options: Options.filters + [limit, pageToken],
            examples: ["customerctl customers list --search acme --country FI", "customerctl customers list --all --output json"]
        ) { invocation in
            let page = try await invocation.client.customers.list(
                try Options.query(from: invocation), limit: try invocation.integer(limit),
                pageToken: invocation.value(pageToken), options: invocation.callOptions)
            try invocation.printer.customers(page.customers)
            if let token = page.nextPageToken {
                // On stderr so that stdout stays one table or one JSON array.
                LogSink.writeToStandardError("next page: \(pageToken.spelling) \(TerminalText.escaped(token))\n")
            }
        },
        CustomerTransferCommands.importCommand,
        CustomerTransferCommands.exportCommand,
        CustomerMergeCommands.duplicates,
        CustomerMergeCommands.merge,
        activeCommand("deactivate", summary: "Deactivate a customer (kept, hidden from default lists).") {
            try await $0.client.customers.deactivate(id: $1, expectedVersion: $2, options: $0.callOptions)
        },
        activeCommand("activate", summary: "Activate a deactivated customer.") {
            try await $0.client.customers.activate(id: $1, expectedVersion: $2, options: $0.callOptions)
        },
        CommandSpec(
            ["customers", "delete"], summary: "Erase a customer for good (cannot be undone; deactivate keeps it).",
            arguments: [CommandArguments.customer], options: [confirm],
            notes: """
                Needs the delete right. The personal data of the customer and of its contacts is erased
                (addresses, settings, segments, history values). A customer with activities, projects,
                invoices, files or links stays as a tombstone they still refer to, shown as "Customer
                deleted"; issued invoices keep what they said.
                """,
            examples: ["customerctl customers delete 42 --confirm"]
        ) { invocation in
            let id = try invocation.id()
            try await invocation.client.customers.delete(id: id, confirm: invocation.flag(confirm), options: invocation.callOptions)
            if invocation.output == .json {
                try Output(format: .json).printJSON(["deleted": id])
            } else {
                print("Customer \(id) deleted.")
            }
        },
    ]

    static let optionalCustomer = Argument("ID", help: "The customer's id.", optional: true)
    static let byNumber = Option.value("number", "N", help: "Find the customer by its customer number instead.")
    static let limit = Option.value("limit", "N", help: "Customers per page, 1 to 1000. Default: 50.")
    static let pageToken = Option.value("page-token", "T", help: "Continue after the page that printed this token.")
    /// Shared by every command that deletes for good.
    static let confirm = Option.flag("confirm", help: "Required: says you mean it. Without it nothing is deleted.")

    /// `customers deactivate` and `customers activate`: the same shape, opposite flag.
    private static func activeCommand(
        _ verb: String, summary: String,
        _ call: @escaping @Sendable (Invocation, Int64, Int64?) async throws -> Customer
    ) -> CommandSpec {
        CommandSpec(
            ["customers", verb], summary: summary, arguments: [CommandArguments.customer], options: [Options.expectVersion],
            examples: ["customerctl customers \(verb) 42"]
        ) { invocation in
            try invocation.printer.customer(
                try await call(invocation, try invocation.id(), try invocation.integer(Options.expectVersion)))
        }
    }
}
