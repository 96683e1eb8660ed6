import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl addresses ...`, `contacts ...`, `keywords ...`, `roles ...`, `mailing-list`.
enum ContactCommands {
    static let addressOptions: Set<String> = ["street", "postal-code", "city", "region", "country", "kind"]
    static let addressHelp = """
          --street LINE            A street line; give it up to three times, in order.
          --postal-code CODE       Postal code.
          --city CITY              City.
          --region REGION          Region or state.
          --country CC             ISO 3166-1 alpha-2 country code (required when adding).
          --kind KIND              visiting (default), postal, billing or delivery.
        """

    static func addressFields(_ arguments: ParsedArguments) throws -> AddressFields {
        let street = arguments.allValues("street")
        guard street.count <= 3 else { throw UsageError("give --street at most three times") }
        var kind: Address.Kind?
        if let text = arguments.value("kind") {
            guard let parsed = Address.Kind.allCases.first(where: { Output.describe($0) == text }) else {
                throw UsageError("--kind takes visiting, postal, billing or delivery, got '\(text)'")
            }
            kind = parsed
        }
        return AddressFields(
            street1: street.count > 0 ? street[0] : nil, street2: street.count > 1 ? street[1] : nil,
            street3: street.count > 2 ? street[2] : nil, postalCode: arguments.value("postal-code"),
            city: arguments.value("city"), region: arguments.value("region"), country: arguments.value("country"), kind: kind)
    }

    static let contactOptions: Set<String> = ["first-name", "last-name", "title", "email", "phone", "mobile", "language", "notes"]
    static let contactHelp = """
          --first-name NAME        First name.
          --last-name NAME         Last name (a contact needs a first or a last name).
          --title TITLE            Job title.
          --email E                Email address.
          --phone P                Phone number.
          --mobile P               Mobile number.
          --language L             Language, e.g. fi, en, nb.
          --notes TEXT             Free text: line breaks and tabs allowed, no other control characters.
        """

    static func contactFields(_ arguments: ParsedArguments) -> ContactFields {
        ContactFields(
            firstName: arguments.value("first-name"), lastName: arguments.value("last-name"), title: arguments.value("title"),
            email: arguments.value("email"), phone: arguments.value("phone"), mobile: arguments.value("mobile"),
            language: arguments.value("language"), notes: arguments.value("notes"))
    }

    static let idArgument = """
        ARGUMENTS:
          ID                       The record's id.

        """

    static let all: [CommandSpec] = addressCommands + contactCommands + labelCommands(.keyword) + labelCommands(.role) + [mailingList]

    static let addressCommands: [CommandSpec] = [
        CommandSpec(
            ["addresses", "add"], summary: "Add an address to a customer (its first becomes the head office).",
            usage: "addresses add CUSTOMER_ID --country CC [--street LINE]... [--postal-code C] [--city C] [--region R] [--kind K]",
            details: """
                OPTIONS:
                \(addressHelp)

                EXAMPLE:
                  customerctl addresses add 42 --street "Keilalahdentie 4" --postal-code 02150 --city Espoo --country FI

                """,
            options: addressOptions, maxPositionals: 1
        ) { invocation in
            let address = try await invocation.client.addresses.add(
                customerID: try invocation.requiredID("CUSTOMER_ID"), try addressFields(invocation.arguments),
                options: invocation.callOptions)
            try Output(format: invocation.output).address(address)
        },
        CommandSpec(
            ["addresses", "update"], summary: "Change some fields of an address.",
            usage: "addresses update ID [--expect-version V] [address options]",
            details: idArgument + """
                OPTIONS:
                  --expect-version V       Refuse (ABORTED) if someone changed the address since version V.
                \(addressHelp)
                  Giving --street replaces the street lines given (first, second, third); "" clears one.

                EXAMPLE:
                  customerctl addresses update 7 --city Helsinki

                """,
            options: addressOptions.union(["expect-version"]), maxPositionals: 1
        ) { invocation in
            let fields = try addressFields(invocation.arguments)
            guard !fields.isEmpty else { throw UsageError("nothing to change: give at least one address option") }
            let address = try await invocation.client.addresses.update(
                id: try invocation.requiredID(), fields, expectedVersion: try invocation.arguments.integer("expect-version"),
                options: invocation.callOptions)
            try Output(format: invocation.output).address(address)
        },
        CommandSpec(
            ["addresses", "remove"], summary: "Remove an address (move the head office first if it is the head office).",
            usage: "addresses remove ID",
            details: idArgument + """
                EXAMPLE:
                  customerctl addresses remove 7

                """,
            maxPositionals: 1
        ) { invocation in
            let remaining = try await invocation.client.addresses.remove(id: try invocation.requiredID(), options: invocation.callOptions)
            try Output(format: invocation.output).addresses(remaining)
        },
        CommandSpec(
            ["addresses", "list"], summary: "List a customer's addresses, head office first.",
            usage: "addresses list CUSTOMER_ID",
            details: """
                EXAMPLE:
                  customerctl addresses list 42

                """,
            maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).addresses(
                try await invocation.client.addresses.list(customerID: try invocation.requiredID("CUSTOMER_ID"), options: invocation.callOptions))
        },
        CommandSpec(
            ["addresses", "set-head-office"], summary: "Make an address its customer's head office.",
            usage: "addresses set-head-office ID",
            details: idArgument + """
                EXAMPLE:
                  customerctl addresses set-head-office 8

                """,
            maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).addresses(
                try await invocation.client.addresses.setHeadOffice(id: try invocation.requiredID(), options: invocation.callOptions))
        },
        CommandSpec(
            ["addresses", "readiness"], summary: "Can invoicing integrations use this customer? Names what is missing.",
            usage: "addresses readiness CUSTOMER_ID",
            details: """
                Exit code 0 when ready, 19 (FAILED_PRECONDITION) when something is missing.

                EXAMPLE:
                  customerctl addresses readiness 42

                """,
            maxPositionals: 1
        ) { invocation in
            let readiness = try await invocation.client.addresses.invoicingReadiness(
                customerID: try invocation.requiredID("CUSTOMER_ID"), options: invocation.callOptions)
            if invocation.output == .json {
                try Output(format: .json).printJSON(readiness)
            } else {
                print(readiness.ready ? "ready" : "not ready: missing \(readiness.missing.joined(separator: ", "))")
            }
            if !readiness.ready {
                throw RPCError(.failedPrecondition, "missing \(readiness.missing.joined(separator: ", "))")
            }
        },
    ]

    static let contactCommands: [CommandSpec] = [
        CommandSpec(
            ["contacts", "add"], summary: "Add a contact person to a customer.",
            usage: "contacts add CUSTOMER_ID --first-name NAME [--last-name NAME] [contact options] [--keyword K]... [--role R]...",
            details: """
                OPTIONS:
                \(contactHelp)
                  --keyword K              Assign an existing keyword; repeatable.
                  --role R                 Assign an existing role; repeatable.

                EXAMPLE:
                  customerctl contacts add 42 --first-name Aino --last-name Virtanen --email aino@acme.fi --role billing

                """,
            options: contactOptions.union(["keyword", "role"]), maxPositionals: 1
        ) { invocation in
            let contact = try await invocation.client.contacts.create(
                customerID: try invocation.requiredID("CUSTOMER_ID"), contactFields(invocation.arguments),
                keywords: invocation.arguments.allValues("keyword"), roles: invocation.arguments.allValues("role"),
                options: invocation.callOptions)
            try Output(format: invocation.output).contact(contact)
        },
        CommandSpec(
            ["contacts", "update"], summary: "Change some fields of a contact.",
            usage: "contacts update ID [--expect-version V] [contact options]",
            details: idArgument + """
                OPTIONS:
                  --expect-version V       Refuse (ABORTED) if someone changed the contact since version V.
                \(contactHelp)
                  An empty value clears a field.

                EXAMPLE:
                  customerctl contacts update 9 --title CEO

                """,
            options: contactOptions.union(["expect-version"]), maxPositionals: 1
        ) { invocation in
            let fields = contactFields(invocation.arguments)
            guard !fields.isEmpty else { throw UsageError("nothing to change: give at least one contact option") }
            let contact = try await invocation.client.contacts.update(
                id: try invocation.requiredID(), fields, expectedVersion: try invocation.arguments.integer("expect-version"),
                options: invocation.callOptions)
            try Output(format: invocation.output).contact(contact)
        },
        CommandSpec(
            ["contacts", "get"], summary: "Show a contact (\"Contact deleted\" once deleted).",
            usage: "contacts get ID",
            details: idArgument + """
                EXAMPLE:
                  customerctl contacts get 9

                """,
            maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).contact(
                try await invocation.client.contacts.get(id: try invocation.requiredID(), options: invocation.callOptions))
        },
        CommandSpec(
            ["contacts", "list"], summary: "List a customer's active contacts (and deactivated ones when asked).",
            usage: "contacts list CUSTOMER_ID [--include-deactivated]",
            details: """
                OPTIONS:
                  --include-deactivated    Also show deactivated contacts, so they can be edited and reactivated.

                EXAMPLE:
                  customerctl contacts list 42 --include-deactivated

                """,
            flags: ["include-deactivated"], maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).contacts(
                try await invocation.client.contacts.list(
                    customerID: try invocation.requiredID("CUSTOMER_ID"),
                    includeDeactivated: invocation.arguments.flag("include-deactivated"), options: invocation.callOptions))
        },
        contactActiveCommand("deactivate", summary: "Deactivate a contact (hidden from the normal view).") {
            try await $0.client.contacts.deactivate(id: $1, expectedVersion: $2, options: $0.callOptions)
        },
        contactActiveCommand("activate", summary: "Reactivate a deactivated contact.") {
            try await $0.client.contacts.activate(id: $1, expectedVersion: $2, options: $0.callOptions)
        },
        CommandSpec(
            ["contacts", "delete"], summary: "Delete a contact for good: the person's data is erased (cannot be undone).",
            usage: "contacts delete ID --confirm",
            details: idArgument + """
                OPTIONS:
                  --confirm                Required: says you mean it. Without it nothing is deleted.

                Every place that named the person then shows "Contact deleted"; issued invoices keep what they said.

                EXAMPLE:
                  customerctl contacts delete 9 --confirm

                """,
            flags: ["confirm"], maxPositionals: 1
        ) { invocation in
            let tombstone = try await invocation.client.contacts.delete(
                id: try invocation.requiredID(), confirm: invocation.arguments.flag("confirm"), options: invocation.callOptions)
            try Output(format: invocation.output).contact(tombstone)
        },
        tagCommand("tag", summary: "Assign keywords and roles to a contact.") {
            try await $0.client.contacts.tag(id: $1, keywords: $2, roles: $3, options: $0.callOptions)
        },
        tagCommand("untag", summary: "Unassign keywords and roles from a contact.") {
            try await $0.client.contacts.untag(id: $1, keywords: $2, roles: $3, options: $0.callOptions)
        },
    ]

    private static func contactActiveCommand(
        _ verb: String, summary: String, _ call: @escaping @Sendable (Invocation, Int64, Int64?) async throws -> Contact
    ) -> CommandSpec {
        CommandSpec(
            ["contacts", verb], summary: summary, usage: "contacts \(verb) ID [--expect-version V]",
            details: idArgument + """
                OPTIONS:
                  --expect-version V       Refuse (ABORTED) if someone changed the contact since version V.

                EXAMPLE:
                  customerctl contacts \(verb) 9

                """,
            options: ["expect-version"], maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).contact(
                try await call(invocation, try invocation.requiredID(), try invocation.arguments.integer("expect-version")))
        }
    }

    private static func tagCommand(
        _ verb: String, summary: String,
        _ call: @escaping @Sendable (Invocation, Int64, [String], [String]) async throws -> Contact
    ) -> CommandSpec {
        CommandSpec(
            ["contacts", verb], summary: summary, usage: "contacts \(verb) ID [--keyword K]... [--role R]...",
            details: idArgument + """
                OPTIONS:
                  --keyword K              A keyword by name; repeatable.
                  --role R                 A role by name; repeatable.

                EXAMPLE:
                  customerctl contacts \(verb) 9 --keyword newsletter --role billing

                """,
            options: ["keyword", "role"], maxPositionals: 1
        ) { invocation in
            let keywords = invocation.arguments.allValues("keyword")
            let roles = invocation.arguments.allValues("role")
            guard !keywords.isEmpty || !roles.isEmpty else { throw UsageError("give at least one --keyword or --role") }
            try Output(format: invocation.output).contact(try await call(invocation, try invocation.requiredID(), keywords, roles))
        }
    }

    /// `keywords ...` and `roles ...`: the same four commands over the two managed lists.
    static func labelCommands(_ kind: Label.Kind) -> [CommandSpec] {
        let group = kind == .keyword ? "keywords" : "roles"
        let noun = kind == .keyword ? "keyword" : "role"
        return [
            CommandSpec(
                [group, "create"], summary: "Create a \(noun) (administrators).", usage: "\(group) create NAME",
                details: "EXAMPLE:\n  customerctl \(group) create \(kind == .keyword ? "newsletter" : "billing")\n\n",
                maxPositionals: 1
            ) { invocation in
                guard let name = invocation.arguments.positionals.first else { throw UsageError("missing NAME") }
                try Output(format: invocation.output).labels([try await invocation.client.labels.create(kind, name: name, options: invocation.callOptions)])
            },
            CommandSpec(
                [group, "rename"], summary: "Rename a \(noun) (administrators).", usage: "\(group) rename NAME NEW_NAME",
                details: "EXAMPLE:\n  customerctl \(group) rename old-name new-name\n\n", maxPositionals: 2
            ) { invocation in
                guard invocation.arguments.positionals.count == 2 else { throw UsageError("give NAME and NEW_NAME") }
                let label = try await invocation.client.labels.rename(
                    kind, name: invocation.arguments.positionals[0], to: invocation.arguments.positionals[1], options: invocation.callOptions)
                try Output(format: invocation.output).labels([label])
            },
            CommandSpec(
                [group, "delete"], summary: "Delete a \(noun); one in use needs --force, which unassigns it.",
                usage: "\(group) delete NAME [--force]",
                details: """
                    OPTIONS:
                      --force                  Delete it even though contacts carry it (it is unassigned from them).

                    EXAMPLE:
                      customerctl \(group) delete old-name --force

                    """,
                flags: ["force"], maxPositionals: 1
            ) { invocation in
                guard let name = invocation.arguments.positionals.first else { throw UsageError("missing NAME") }
                let unassigned = try await invocation.client.labels.delete(
                    kind, name: name, force: invocation.arguments.flag("force"), options: invocation.callOptions)
                if invocation.output == .json {
                    try Output(format: .json).printJSON(["deleted": name, "unassignedFrom": String(unassigned)])
                } else {
                    print("Deleted \(noun) '\(TerminalText.escaped(name))' (unassigned from \(unassigned) contacts).")
                }
            },
            CommandSpec(
                [group, "list"], summary: "List the \(group) with how many contacts carry each.", usage: "\(group) list",
                details: "EXAMPLE:\n  customerctl \(group) list\n\n"
            ) { invocation in
                try Output(format: invocation.output).labels(try await invocation.client.labels.list(kind, options: invocation.callOptions))
            },
        ]
    }

    static let mailingList = CommandSpec(
        ["mailing-list"], summary: "Every active contact with a keyword and/or role, across all customers.",
        usage: "mailing-list [--keyword K] [--role R] [--output table|json|csv]",
        details: """
            OPTIONS:
              --keyword K              Contacts carrying this keyword.
              --role R                 Contacts with this role (both given: both required).

            With --output csv it writes RFC 4180 CSV with a header line, for mail tools; json writes JSON Lines.

            EXAMPLE:
              customerctl mailing-list --keyword newsletter --output csv > newsletter.csv

            """,
        options: ["keyword", "role"]
    ) { invocation in
        let keyword = invocation.arguments.value("keyword")
        let role = invocation.arguments.value("role")
        guard keyword != nil || role != nil else { throw UsageError("give --keyword, --role or both") }
        let entries = invocation.client.contacts.mailingList(keyword: keyword, role: role, options: invocation.callOptions)
        let output = Output(format: invocation.output)
        switch invocation.output {
        case .csv:
            print(CSV.line(["first_name", "last_name", "email", "customer", "customer_email"]), terminator: "")
            for try await entry in entries {
                print(CSV.line([entry.firstName, entry.lastName, entry.email, entry.customerName, entry.customerEmail]), terminator: "")
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
