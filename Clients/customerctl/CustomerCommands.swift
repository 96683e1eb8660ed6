import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl customers ...`.
enum CustomerCommands {
    static let fieldOptions: Set<String> = [
        "name", "number", "vat", "country", "email", "website", "phone", "industry", "account-manager", "description",
    ]

    static let fieldHelp = """
          --name NAME              The customer's name (required on create; at most 200 characters).
          --number N               The customer number: unique, 1 to 9999999999. Without it the next
                                   number of the sequence, which skips numbers given here and never
                                   hands out a deleted or changed customer's number.
          --vat V                  VAT number or business id as pasted (any spaces, dashes, dots,
                                   full-width digits), checked for the country's check digits and
                                   stored in one form (fi 0112038-9 becomes FI01120389). Without
                                   --country its prefix names the country (FI 20774740). A bare
                                   Norwegian organisation number is kept as the business id only.
          --country CC             ISO 3166-1 alpha-2 country code, e.g. FI, NO, NL.
          --email E                Email address.
          --website URL            Website (http or https; 'example.com' becomes 'https://example.com').
          --phone P                Phone number (digits, optional leading +, spaces, dashes).
          --industry I             Industry.
          --account-manager USER   The user name of the account manager.
          --description D          Free text: line breaks and tabs allowed, no other control characters.
          --allow-duplicate-vat    Keep a VAT number another customer already has (otherwise refused,
                                   naming that customer); the number is checked for the country.
        """

    static let filterOptions: Set<String> = ["search", "country", "account-manager", "changed-since", "order"]
    static let filterFlags: Set<String> = ["inactive", "all"]

    static let filterHelp = """
          --inactive               Only deactivated customers (default: only active ones).
          --all                    Active and deactivated customers.
          --search TEXT            Match name, number, VAT number, business id or email, ignoring case
                                   and accents; a VAT number or business id in any spelling
                                   (0250345-3, FI02503453, fi 0250345 3).
          --country CC             Only customers in this country.
          --account-manager USER   Only customers of this account manager.
          --changed-since TIME     Only customers changed at or after TIME (ISO 8601: 2026-01-31, 2026-01-31T12:00,
                                   2026-01-31T12:00:00Z; without a zone, local time as TZ sets it).
          --order name|number      Sort order. Default: name.
        """

    static func fields(from arguments: ParsedArguments) throws -> CustomerFields {
        CustomerFields(
            number: try arguments.integer("number"), name: arguments.value("name"),
            accountManager: arguments.value("account-manager"), description: arguments.value("description"),
            vatNumber: arguments.value("vat"), country: arguments.value("country"), industry: arguments.value("industry"),
            email: arguments.value("email"), website: arguments.value("website"), phone: arguments.value("phone"))
    }

    static func query(from arguments: ParsedArguments) throws -> CustomerQuery {
        if arguments.flag("inactive") && arguments.flag("all") {
            throw UsageError("give --inactive or --all, not both")
        }
        var query = CustomerQuery(
            status: arguments.flag("all") ? .all : arguments.flag("inactive") ? .inactive : nil,
            search: arguments.value("search"), country: arguments.value("country"),
            accountManager: arguments.value("account-manager"))
        query.changedSince = try arguments.dateTime("changed-since")
        if let order = arguments.value("order") {
            switch order {
            case "name": query.order = .name
            case "number": query.order = .number
            default: throw UsageError("--order takes 'name' or 'number', got '\(order)'")
            }
        }
        return query
    }

    static let all: [CommandSpec] = [
        CommandSpec(
            ["customers", "create"], summary: "Create a customer.",
            usage: "customers create --name NAME [--number N] [--vat V] [--country CC] [--email E] [--website URL] [--phone P] [--industry I] [--account-manager USER] [--description D] [--allow-duplicate-vat]",
            details: """
                OPTIONS:
                \(fieldHelp)

                EXAMPLE:
                  customerctl customers create --name "Acme Oy" --country FI --vat FI01120389 --email info@acme.fi

                """,
            options: fieldOptions, flags: ["allow-duplicate-vat"]
        ) { invocation in
            let fields = try fields(from: invocation.arguments)
            guard fields.name != nil else { throw UsageError("missing --name") }
            let customer = try await invocation.client.customers.create(
                fields, allowDuplicateVat: invocation.arguments.flag("allow-duplicate-vat"), options: invocation.callOptions)
            try Output(format: invocation.output).customer(customer)
        },
        CommandSpec(
            ["customers", "get"], summary: "Show one customer, by id or by number.",
            usage: "customers get ID | --number N",
            details: """
                ARGUMENTS:
                  ID                       The customer's id.

                OPTIONS:
                  --number N               Find the customer by its customer number instead.

                EXAMPLE:
                  customerctl customers get 42
                  customerctl customers get --number 10001 --output json

                """,
            options: ["number"], maxPositionals: 1
        ) { invocation in
            let customer: Customer
            if let number: Int64 = try invocation.arguments.integer("number") {
                guard invocation.arguments.positionals.isEmpty else {
                    throw UsageError("give an ID or --number, not both")
                }
                customer = try await invocation.client.customers.get(number: number, options: invocation.callOptions)
            } else {
                customer = try await invocation.client.customers.get(
                    id: try invocation.requiredID(), options: invocation.callOptions)
            }
            try Output(format: invocation.output).customer(customer)
        },
        CommandSpec(
            ["customers", "update"], summary: "Change some fields of a customer; the others stay as they are.",
            usage: "customers update ID [--expect-version V] [field options]",
            details: """
                ARGUMENTS:
                  ID                       The customer's id.

                OPTIONS:
                  --expect-version V       Refuse (ABORTED) if someone changed the customer since version V.
                \(fieldHelp)
                  An empty value clears a field, e.g. --phone "".

                EXAMPLE:
                  customerctl customers update 42 --expect-version 3 --email billing@acme.fi

                """,
            options: fieldOptions.union(["expect-version"]), flags: ["allow-duplicate-vat"], maxPositionals: 1
        ) { invocation in
            let id = try invocation.requiredID()
            let fields = try fields(from: invocation.arguments)
            guard !fields.isEmpty else { throw UsageError("nothing to change: give at least one field option") }
            let customer = try await invocation.client.customers.update(
                id: id, fields, expectedVersion: try invocation.arguments.integer("expect-version"),
                allowDuplicateVat: invocation.arguments.flag("allow-duplicate-vat"), options: invocation.callOptions)
            try Output(format: invocation.output).customer(customer)
        },
        CommandSpec(
            ["customers", "list"], summary: "List customers, one page at a time.",
            usage: "customers list [--inactive | --all] [--search TEXT] [--country CC] [--limit N] [--page-token T]",
            details: """
                OPTIONS:
                \(filterHelp)
                  --limit N                Customers per page, 1 to 1000. Default: 50.
                  --page-token T           Continue after the page that printed this token.

                EXAMPLE:
                  customerctl customers list --search acme --country FI
                  customerctl customers list --all --output json

                """,
            options: filterOptions.union(["limit", "page-token"]), flags: filterFlags
        ) { invocation in
            let page = try await invocation.client.customers.list(
                try query(from: invocation.arguments), limit: try invocation.arguments.integer("limit"),
                pageToken: invocation.arguments.value("page-token"), options: invocation.callOptions)
            try Output(format: invocation.output).customers(page.customers)
            if let token = page.nextPageToken {
                // On stderr so that stdout stays one table or one JSON array.
                FileHandle.standardError.write(Data("next page: --page-token \(token)\n".utf8))
            }
        },
        CommandSpec(
            ["customers", "export"], summary: "Stream every matching customer as JSON Lines (one object a line).",
            usage: "customers export [--inactive | --all] [--search TEXT] [--country CC] > customers.jsonl",
            details: """
                OPTIONS:
                \(filterHelp)

                Streams with flow control: constant memory whatever the number of customers.

                EXAMPLE:
                  customerctl customers export --all > customers.jsonl

                """,
            options: filterOptions, flags: filterFlags
        ) { invocation in
            let output = Output(format: .json)
            for try await customer in invocation.client.customers.stream(
                try query(from: invocation.arguments), options: invocation.callOptions)
            {
                try output.jsonLine(customer)
            }
        },
        activeCommand("deactivate", summary: "Deactivate a customer (kept, hidden from default lists).") {
            try await $0.client.customers.deactivate(id: $1, expectedVersion: $2, options: $0.callOptions)
        },
        activeCommand("activate", summary: "Activate a deactivated customer.") {
            try await $0.client.customers.activate(id: $1, expectedVersion: $2, options: $0.callOptions)
        },
        CommandSpec(
            ["customers", "delete"], summary: "Delete a customer for good (cannot be undone).",
            usage: "customers delete ID --confirm",
            details: """
                ARGUMENTS:
                  ID                       The customer's id.

                OPTIONS:
                  --confirm                Required: says you mean it. Without it nothing is deleted.

                EXAMPLE:
                  customerctl customers delete 42 --confirm

                """,
            flags: ["confirm"], maxPositionals: 1
        ) { invocation in
            let id = try invocation.requiredID()
            try await invocation.client.customers.delete(
                id: id, confirm: invocation.arguments.flag("confirm"), options: invocation.callOptions)
            if invocation.output == .json {
                try Output(format: .json).printJSON(["deleted": id])
            } else {
                print("Customer \(id) deleted.")
            }
        },
    ]

    /// `customers deactivate` and `customers activate`: the same shape, opposite flag.
    private static func activeCommand(
        _ verb: String, summary: String,
        _ call: @escaping @Sendable (Invocation, Int64, Int64?) async throws -> Customer
    ) -> CommandSpec {
        CommandSpec(
            ["customers", verb], summary: summary,
            usage: "customers \(verb) ID [--expect-version V]",
            details: """
                ARGUMENTS:
                  ID                       The customer's id.

                OPTIONS:
                  --expect-version V       Refuse (ABORTED) if someone changed the customer since version V.

                EXAMPLE:
                  customerctl customers \(verb) 42

                """,
            options: ["expect-version"], maxPositionals: 1
        ) { invocation in
            let customer = try await call(
                invocation, try invocation.requiredID(), try invocation.arguments.integer("expect-version"))
            try Output(format: invocation.output).customer(customer)
        }
    }
}
