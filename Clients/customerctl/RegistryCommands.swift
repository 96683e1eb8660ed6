import CommandLineKit
import CustomerClient

/// `customerctl customers refresh`: the national business registry's name, address, email and website.
enum RegistryCommands {
    static let fields = Option.value(
        "fields", RefreshField.allCases.map(\.rawValue).joined(separator: ","), help: """
            The fields to compare and refresh, comma-separated: name, address,
            email, website. Default: all four. The address is the head office
            (updated, or added when the customer has no address).
            """)
    static let registeredCustomer = Argument("ID", help: """
        The customer's id. It must be in Finland (FI) or Norway (NO) and
        have a VAT number: the registry (PRH's YTJ or Brønnøysund's
        Enhetsregisteret) is asked by it.
        """)
    static let dryRun = Option.flag("dry-run", help: "Show the differences only; change nothing.")

    static let all: [CommandSpec] = [
        CommandSpec(
            ["customers", "refresh"],
            summary: "Refresh a Finnish or Norwegian customer from its national business registry.",
            arguments: [registeredCustomer],
            options: [fields, dryRun],
            notes: """
                Prints the company's standing (bankruptcy, liquidation, restructuring, VAT register,
                deregistration; a Norwegian branch with its parent), the differences as FIELD, BEFORE
                and AFTER (the registry's value), then whether they were applied, and warnings. A field
                the registry has no value for is left as it is. A company the registry reports
                deregistered or wound up is never deactivated, and its name is taken only when --fields
                names it. A real run keeps the standing on the customer (customers get shows it).
                Finland's registry has no email addresses. The history marks the changes as made from
                the registry. A dry run needs only Customers: read.
                """,
            examples: ["customerctl customers refresh 42 --dry-run", "customerctl customers refresh 42 --fields name,website"]
        ) { invocation in
            let id = try invocation.id(registeredCustomer)
            let chosen = try refreshFields(invocation.value(fields))
            let result = try await invocation.client.customers.refreshFromRegistry(
                id: id, fields: chosen, dryRun: invocation.flag(dryRun), options: invocation.callOptions)
            try invocation.printer.refresh(result, dryRun: invocation.flag(dryRun))
        },
    ]

    /// `name,website` as fields, in the order given, without repeats; nil or empty means all.
    static func refreshFields(_ text: String?) throws -> [RefreshField] {
        guard let text else { return [] }
        var fields: [RefreshField] = []
        for word in text.split(separator: ",") {
            let name = word.trimmingCharacters(in: .whitespaces).lowercased()
            guard let field = RefreshField(rawValue: name) else {
                let names = RefreshField.allCases.map(\.rawValue).joined(separator: ", ")
                throw UsageError("--fields takes \(names) (comma-separated), got '\(name)'")
            }
            if !fields.contains(field) { fields.append(field) }
        }
        guard !fields.isEmpty else { throw UsageError("--fields needs at least one of name, address, email, website") }
        return fields
    }
}
