import CommandLineKit
import CustomerClient
import Foundation
import ServiceLog

/// `customerctl addresses ...`, `contacts ...`, `keywords ...`, `roles ...`, `mailing-list`.
enum ContactCommands {
    typealias Options = ContactOptions

    static let all: [CommandSpec] = addressCommands + contactCommands + labelCommands(.keyword) + labelCommands(.role) + [mailingList]

    static let addressExpectVersion = CommandArguments.expectVersion(of: "the address")
    static let contactExpectVersion = CommandArguments.expectVersion(of: "the contact")

    static let addressCommands: [CommandSpec] = [
        CommandSpec(
            ["addresses", "add"], summary: "Add an address to a customer (its first becomes the head office).",
            arguments: [CommandArguments.customerID],
            options: Options.addressOptions.map { $0 == Options.country ? $0.required() : $0 },
            examples: ["customerctl addresses add 42 --street \"Keilalahdentie 4\" --postal-code 02150 --city Espoo --country FI"]
        ) { invocation in
            let address = try await invocation.client.addresses.add(
                customerID: try invocation.id(CommandArguments.customerID), try Options.addressFields(invocation),
                options: invocation.callOptions)
            try invocation.printer.address(address)
        },
        CommandSpec(
            ["addresses", "update"], summary: "Change some fields of an address.",
            arguments: [CommandArguments.id], options: [addressExpectVersion] + Options.addressOptions,
            notes: "Giving --street replaces the street lines given (first, second, third); \"\" clears one.",
            examples: ["customerctl addresses update 7 --city Helsinki"]
        ) { invocation in
            let fields = try Options.addressFields(invocation)
            guard !fields.isEmpty else { throw UsageError("nothing to change: give at least one address option") }
            let address = try await invocation.client.addresses.update(
                id: try invocation.id(), fields, expectedVersion: try invocation.integer(addressExpectVersion),
                options: invocation.callOptions)
            try invocation.printer.address(address)
        },
        CommandSpec(
            ["addresses", "remove"], summary: "Remove an address (move the head office first if it is the head office).",
            arguments: [CommandArguments.id], examples: ["customerctl addresses remove 7"]
        ) { invocation in
            try invocation.printer.addresses(
                try await invocation.client.addresses.remove(id: try invocation.id(), options: invocation.callOptions))
        },
        CommandSpec(
            ["addresses", "list"], summary: "List a customer's addresses, head office first.",
            arguments: [CommandArguments.customerID], examples: ["customerctl addresses list 42"]
        ) { invocation in
            try invocation.printer.addresses(
                try await invocation.client.addresses.list(
                    customerID: try invocation.id(CommandArguments.customerID), options: invocation.callOptions))
        },
        CommandSpec(
            ["addresses", "set-head-office"], summary: "Make an address its customer's head office.",
            arguments: [CommandArguments.id], examples: ["customerctl addresses set-head-office 8"]
        ) { invocation in
            try invocation.printer.addresses(
                try await invocation.client.addresses.setHeadOffice(id: try invocation.id(), options: invocation.callOptions))
        },
        CommandSpec(
            ["addresses", "readiness"], summary: "Can invoicing integrations use this customer? Names what is missing.",
            arguments: [CommandArguments.customerID],
            notes: "Exit code 0 when ready, 19 (FAILED_PRECONDITION) when something is missing.",
            examples: ["customerctl addresses readiness 42"]
        ) { invocation in
            let readiness = try await invocation.client.addresses.invoicingReadiness(
                customerID: try invocation.id(CommandArguments.customerID), options: invocation.callOptions)
            if invocation.output == .json {
                try Output(format: .json).printJSON(readiness)
            } else {
                print(readiness.ready ? "ready" : TerminalText.escaped("not ready: missing \(readiness.missing.joined(separator: ", "))"))
            }
            if !readiness.ready {
                throw RPCError(.failedPrecondition, "missing \(readiness.missing.joined(separator: ", "))")
            }
        },
    ]

    static let contactCommands: [CommandSpec] = [
        CommandSpec(
            ["contacts", "add"], summary: "Add a contact person to a customer.",
            arguments: [CommandArguments.customerID],
            options: Options.contactOptions + [assignKeyword, assignRole],
            examples: ["customerctl contacts add 42 --first-name Aino --last-name Virtanen --email aino@acme.fi --role billing"]
        ) { invocation in
            let contact = try await invocation.client.contacts.create(
                customerID: try invocation.id(CommandArguments.customerID), Options.contactFields(invocation),
                keywords: invocation.values(assignKeyword), roles: invocation.values(assignRole),
                options: invocation.callOptions)
            try invocation.printer.contact(contact)
        },
        CommandSpec(
            ["contacts", "update"], summary: "Change some fields of a contact.",
            arguments: [CommandArguments.id], options: [contactExpectVersion] + Options.contactOptions,
            notes: "An empty value clears a field.",
            examples: ["customerctl contacts update 9 --title CEO"]
        ) { invocation in
            let fields = Options.contactFields(invocation)
            guard !fields.isEmpty else { throw UsageError("nothing to change: give at least one contact option") }
            let contact = try await invocation.client.contacts.update(
                id: try invocation.id(), fields, expectedVersion: try invocation.integer(contactExpectVersion),
                options: invocation.callOptions)
            try invocation.printer.contact(contact)
        },
        CommandSpec(
            ["contacts", "get"], summary: "Show a contact (\"Contact deleted\" once deleted).",
            arguments: [CommandArguments.id], examples: ["customerctl contacts get 9"]
        ) { invocation in
            try invocation.printer.contact(
                try await invocation.client.contacts.get(id: try invocation.id(), options: invocation.callOptions))
        },
        CommandSpec(
            ["contacts", "list"], summary: "List a customer's active contacts (and deactivated ones when asked).",
            arguments: [CommandArguments.customerID], options: [includeDeactivated],
            examples: ["customerctl contacts list 42 --include-deactivated"]
        ) { invocation in
            try invocation.printer.contacts(
                try await invocation.client.contacts.list(
                    customerID: try invocation.id(CommandArguments.customerID),
                    includeDeactivated: invocation.flag(includeDeactivated), options: invocation.callOptions))
        },
        contactActiveCommand("deactivate", summary: "Deactivate a contact (hidden from the normal view).") {
            try await $0.client.contacts.deactivate(id: $1, expectedVersion: $2, options: $0.callOptions)
        },
        contactActiveCommand("activate", summary: "Reactivate a deactivated contact.") {
            try await $0.client.contacts.activate(id: $1, expectedVersion: $2, options: $0.callOptions)
        },
        CommandSpec(
            ["contacts", "delete"], summary: "Delete a contact for good: the person's data is erased (cannot be undone).",
            arguments: [CommandArguments.id], options: [CustomerCommands.confirm],
            notes: "Every place that named the person then shows \"Contact deleted\"; issued invoices keep what they said.",
            examples: ["customerctl contacts delete 9 --confirm"]
        ) { invocation in
            let tombstone = try await invocation.client.contacts.delete(
                id: try invocation.id(), confirm: invocation.flag(CustomerCommands.confirm), options: invocation.callOptions)
            try invocation.printer.contact(tombstone)
        },
        tagCommand("tag", summary: "Assign keywords and roles to a contact.") {
            try await $0.client.contacts.tag(id: $1, keywords: $2, roles: $3, options: $0.callOptions)
        },
        tagCommand("untag", summary: "Unassign keywords and roles from a contact.") {
            try await $0.client.contacts.untag(id: $1, keywords: $2, roles: $3, options: $0.callOptions)
        },
    ]

    static let assignKeyword = Option.repeatable("keyword", "K", help: "Assign an existing keyword; repeatable.")
    static let assignRole = Option.repeatable("role", "R", help: "Assign an existing role; repeatable.")
    static let includeDeactivated = Option.flag(
        "include-deactivated", help: "Also show deactivated contacts, so they can be edited and reactivated.")

    private static func contactActiveCommand(
        _ verb: String, summary: String, _ call: @escaping @Sendable (Invocation, Int64, Int64?) async throws -> Contact
    ) -> CommandSpec {
        CommandSpec(
            ["contacts", verb], summary: summary, arguments: [CommandArguments.id], options: [contactExpectVersion],
            examples: ["customerctl contacts \(verb) 9"]
        ) { invocation in
            try invocation.printer.contact(
                try await call(invocation, try invocation.id(), try invocation.integer(contactExpectVersion)))
        }
    }

    private static func tagCommand(
        _ verb: String, summary: String,
        _ call: @escaping @Sendable (Invocation, Int64, [String], [String]) async throws -> Contact
    ) -> CommandSpec {
        CommandSpec(
            ["contacts", verb], summary: summary, arguments: [CommandArguments.id], options: [Options.keyword, Options.role],
            examples: ["customerctl contacts \(verb) 9 --keyword newsletter --role billing"]
        ) { invocation in
            let keywords = invocation.values(Options.keyword)
            let roles = invocation.values(Options.role)
            guard !keywords.isEmpty || !roles.isEmpty else { throw UsageError("give at least one --keyword or --role") }
            try invocation.printer.contact(try await call(invocation, try invocation.id(), keywords, roles))
        }
    }

    static let force = Option.flag("force", help: "Delete it even though contacts carry it (it is unassigned from them).")

    /// `keywords ...` and `roles ...`: the same four commands over the two managed lists.
    static func labelCommands(_ kind: Label.Kind) -> [CommandSpec] {
        let group = kind == .keyword ? "keywords" : "roles"
        let noun = kind == .keyword ? "keyword" : "role"
        let name = Argument("NAME", help: "The \(noun)'s name.")
        return [
            CommandSpec(
                [group, "create"], summary: "Create a \(noun) (administrators).", arguments: [name],
                examples: ["customerctl \(group) create \(kind == .keyword ? "newsletter" : "billing")"]
            ) { invocation in
                try invocation.printer.labels(
                    [try await invocation.client.labels.create(kind, name: try invocation.text(name), options: invocation.callOptions)])
            },
            CommandSpec(
                [group, "rename"], summary: "Rename a \(noun) (administrators).", arguments: [name, CommandArguments.newName],
                examples: ["customerctl \(group) rename old-name new-name"]
            ) { invocation in
                let label = try await invocation.client.labels.rename(
                    kind, name: try invocation.text(name), to: try invocation.text(CommandArguments.newName, at: 1),
                    options: invocation.callOptions)
                try invocation.printer.labels([label])
            },
            CommandSpec(
                [group, "delete"], summary: "Delete a \(noun); one in use needs --force, which unassigns it.",
                arguments: [name], options: [force], examples: ["customerctl \(group) delete old-name --force"]
            ) { invocation in
                let text = try invocation.text(name)
                let unassigned = try await invocation.client.labels.delete(
                    kind, name: text, force: invocation.flag(force), options: invocation.callOptions)
                if invocation.output == .json {
                    try Output(format: .json).printJSON(["deleted": text, "unassignedFrom": String(unassigned)])
                } else {
                    print("Deleted \(noun) '\(TerminalText.escaped(text))' (unassigned from \(unassigned) contacts).")
                }
            },
            CommandSpec(
                [group, "list"], summary: "List the \(group) with how many contacts carry each.",
                examples: ["customerctl \(group) list"]
            ) { invocation in
                try invocation.printer.labels(try await invocation.client.labels.list(kind, options: invocation.callOptions))
            },
        ]
    }

    static let withKeyword = Option.value("keyword", "K", help: "Contacts carrying this keyword.")
    static let withRole = Option.value("role", "R", help: "Contacts with this role (both given: both required).")

    static let mailingList = CommandSpec(
        ["mailing-list"], summary: "Every active contact with a keyword and/or role, across all customers.",
        options: [withKeyword, withRole, CSV.forSpreadsheet],
        notes: """
            With --output csv it writes RFC 4180 CSV with a header line, for mail tools; json writes
            JSON Lines. Add --for-spreadsheet when the CSV file is to be opened in a spreadsheet.
            """,
        examples: ["customerctl mailing-list --keyword newsletter --output csv > newsletter.csv",
                   "customerctl mailing-list --keyword newsletter --output csv --for-spreadsheet > open-in-excel.csv"]
    ) { invocation in
        let keyword = invocation.value(withKeyword)
        let role = invocation.value(withRole)
        guard keyword != nil || role != nil else { throw UsageError("give --keyword, --role or both") }
        let forSpreadsheet = invocation.flag(CSV.forSpreadsheet)
        if forSpreadsheet, invocation.output != .csv { throw UsageError("--for-spreadsheet needs --output csv") }
        let entries = invocation.client.contacts.mailingList(keyword: keyword, role: role, options: invocation.callOptions)
        let output = Output(format: invocation.output)
        switch invocation.output {
        case .csv:
            print(CSV.line(["first_name", "last_name", "email", "customer", "customer_email"]), terminator: "")
            for try await entry in entries {
                print(CSV.line([entry.firstName, entry.lastName, entry.email, entry.customerName, entry.customerEmail],
                               forSpreadsheet: forSpreadsheet), terminator: "")
            }
        case .json:
            for try await entry in entries { try output.jsonLine(entry) }
        case .table:
            var table = TextTable(["CONTACT", "NAME", "EMAIL", "CUSTOMER", "CUSTOMER EMAIL"])
            for try await entry in entries {
                let name = [entry.firstName, entry.lastName].compactMap { $0 }.joined(separator: " ")
                table.append([String(entry.contactId), name, entry.email ?? "-", entry.customerName, entry.customerEmail ?? "-"])
            }
            print(table.render(), terminator: "")
        }
    }
}
