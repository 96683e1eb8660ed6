import CommandLineKit
import CustomerClient

/// `customerctl customers dossier` and `contacts dossier`: one JSON document, whatever `--output`
/// says, since it is meant to be handed over (a data-subject access request) or read by a program.
enum DossierCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            ["customers", "dossier"],
            summary: "Print everything stored about a customer as one JSON document (card, contacts, invoices, history).",
            arguments: [CommandArguments.customer], examples: ["customerctl customers dossier 42 > customer-42.json"]
        ) { invocation in
            try Output(format: .json).printJSON(
                try await invocation.client.customers.dossier(id: try invocation.id(CommandArguments.customer),
                                                              options: invocation.callOptions))
        },
        CommandSpec(
            ["contacts", "dossier"],
            summary: "Print everything stored about a contact person as one JSON document (record, activities, invoices, history).",
            arguments: [CommandArguments.id], examples: ["customerctl contacts dossier 9 > person-9.json"]
        ) { invocation in
            try Output(format: .json).printJSON(
                try await invocation.client.contacts.dossier(id: try invocation.id(), options: invocation.callOptions))
        },
    ]
}
