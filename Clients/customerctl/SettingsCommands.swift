import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl settings ...`, `segments ...`, `industries ...`, `files ...`, `links ...`.
enum SettingsCommands {
    static let channels: [String: CustomerSettings.InvoiceChannel] = ["email": .email, "e-invoice": .eInvoice, "paper": .paper]
    static let channel = Option.value("channel", "C", help: "email, e-invoice or paper.", choices: ["email", "e-invoice", "paper"])
    static let invoiceEmail = Option.value("invoice-email", "E", help: "Where email invoices go (needed for the email channel).")
    static let eInvoiceAddress = Option.value(
        "einvoice-address", "A", help: "E-invoice address, e.g. OVT 003701120389 (needed for e-invoice).")
    static let eInvoiceOperator = Option.value("einvoice-operator", "O", help: "E-invoice operator code.")
    static let paymentTerm = Option.value("payment-term", "DAYS", help: "0 to 365.")
    static let currency = Option.value("currency", "C", help: "ISO 4217.")
    static let vatRate = Option.value("vat-rate", "R", help: "Percent, exact (e.g. 25.5).")
    static let language = Option.value("language", "L", help: "Invoice language (2-3 letters).")
    static let reference = Option.value("reference", "R", help: "Reference on every invoice.")
    static let template = Option.value("template", "T", help: "Invoice template name.")
    static let expectVersion = CommandArguments.expectVersion(of: "them")

    static let settingsOptions = [
        channel, invoiceEmail, eInvoiceAddress, eInvoiceOperator, paymentTerm, currency, vatRate, language, reference, template,
    ]

    static func settingsFields(_ invocation: Invocation) throws -> CustomerSettingsFields {
        CustomerSettingsFields(
            invoiceChannel: invocation.value(channel).flatMap { channels[$0] }, invoiceEmail: invocation.value(invoiceEmail),
            eInvoiceAddress: invocation.value(eInvoiceAddress), eInvoiceOperator: invocation.value(eInvoiceOperator),
            paymentTermDays: try invocation.integer(paymentTerm), currency: invocation.value(currency),
            vatRate: try ProjectOptions.decimal(invocation, vatRate), invoiceLanguage: invocation.value(language),
            reference: invocation.value(reference), invoiceTemplate: invocation.value(template))
    }

    static let all: [CommandSpec] = settingsCommands + segmentCommands + industryCommands + fileCommands + linkCommands

    static let settingsCommands: [CommandSpec] = [
        CommandSpec(
            ["settings", "get"], summary: "A customer's default invoicing settings.", arguments: [CommandArguments.customerID],
            examples: ["customerctl settings get 42"]
        ) { invocation in
            try invocation.printer.settings(
                try await invocation.client.settings.get(
                    customerID: try invocation.id(CommandArguments.customerID), options: invocation.callOptions))
        },
        CommandSpec(
            ["settings", "update"], summary: "Change some of a customer's invoicing settings.",
            arguments: [CommandArguments.customerID], options: settingsOptions + [expectVersion],
            notes: "An empty value clears a setting.",
            examples: ["customerctl settings update 42 --channel e-invoice --einvoice-address 003701120389 --einvoice-operator 003721291126"]
        ) { invocation in
            let fields = try settingsFields(invocation)
            guard !fields.isEmpty else { throw UsageError("nothing to change: give at least one setting") }
            try invocation.printer.settings(
                try await invocation.client.settings.update(
                    customerID: try invocation.id(CommandArguments.customerID), fields,
                    expectedVersion: try invocation.integer(expectVersion), options: invocation.callOptions))
        },
    ]

    static let parent = Option.value("parent", "ID", help: "The parent segment; none makes a root.")
    static let newParent = Option.value("parent", "ID", help: "New parent (cycles are refused).")
    static let segmentName = Option.value("name", "NAME", help: "New name.")
    static let root = Option.flag("root", help: "Make it a root (not with --parent).")
    static let segmentForce = Option.flag("force", help: "Delete it even though customers have chosen it (they lose it).")
    static let segmentIDs = Argument("SEGMENT_ID", help: "The segments, by id; none clears the set.", optional: true)

    static let segmentCommands: [CommandSpec] = [
        CommandSpec(
            ["segments", "create"], summary: "Add a market segment (administrators).",
            arguments: [CommandArguments.name], options: [parent], examples: ["customerctl segments create Machinery --parent 2"]
        ) { invocation in
            try invocation.printer.segments(
                [try await invocation.client.settings.createSegment(
                    try invocation.text(CommandArguments.name), parentID: try invocation.integer(parent), options: invocation.callOptions)])
        },
        CommandSpec(
            ["segments", "update"], summary: "Rename and/or move a market segment (administrators).",
            arguments: [CommandArguments.id], options: [segmentName, newParent, root],
            examples: ["customerctl segments update 5 --parent 2"]
        ) { invocation in
            try invocation.printer.segments(
                [try await invocation.client.settings.updateSegment(
                    UpdateSegmentRequest(
                        id: try invocation.id(), name: invocation.value(segmentName),
                        parentId: try invocation.integer(newParent), moveToRoot: invocation.flag(root) ? true : nil),
                    options: invocation.callOptions)])
        },
        CommandSpec(
            ["segments", "delete"], summary: "Delete a market segment; one chosen for customers needs --force.",
            arguments: [CommandArguments.id], options: [segmentForce], examples: ["customerctl segments delete 5 --force"]
        ) { invocation in
            try invocation.printer.segments(
                try await invocation.client.settings.deleteSegment(
                    id: try invocation.id(), force: invocation.flag(segmentForce), options: invocation.callOptions))
        },
        CommandSpec(
            ["segments", "list"], summary: "The market segment tree, by path.", examples: ["customerctl segments list"]
        ) { invocation in
            try invocation.printer.segments(try await invocation.client.settings.segments(options: invocation.callOptions))
        },
        CommandSpec(
            ["segments", "set"], summary: "Choose a customer's market segments (replaces the set).",
            arguments: [CommandArguments.customerID, segmentIDs], moreArguments: true,
            examples: ["customerctl segments set 42 5 9"]
        ) { invocation in
            let ids = try invocation.arguments.positionals.indices.dropFirst().map { try invocation.id(segmentIDs, at: $0) }
            try invocation.printer.segments(
                try await invocation.client.settings.setCustomerSegments(
                    customerID: try invocation.id(CommandArguments.customerID), ids, options: invocation.callOptions))
        },
    ]

    static let industryForce = Option.flag("force", help: "Delete it even though customers have it (they lose it).")

    static let industryCommands: [CommandSpec] = [
        CommandSpec(
            ["industries", "add"], summary: "Add an industry to the list (administrators).",
            arguments: [CommandArguments.name], examples: ["customerctl industries add Manufacturing"]
        ) { invocation in
            try invocation.printer.industries(
                [try await invocation.client.settings.createIndustry(try invocation.text(CommandArguments.name), options: invocation.callOptions)])
        },
        CommandSpec(
            ["industries", "rename"], summary: "Rename an industry (its customers follow).",
            arguments: [CommandArguments.name, CommandArguments.newName], examples: ["customerctl industries rename Shipping Maritime"]
        ) { invocation in
            try invocation.printer.industries(
                [try await invocation.client.settings.renameIndustry(
                    try invocation.text(CommandArguments.name), to: try invocation.text(CommandArguments.newName, at: 1),
                    options: invocation.callOptions)])
        },
        CommandSpec(
            ["industries", "delete"], summary: "Delete an industry; one in use needs --force (its customers lose it).",
            arguments: [CommandArguments.name], options: [industryForce], examples: ["customerctl industries delete Maritime --force"]
        ) { invocation in
            try invocation.printer.industries(
                try await invocation.client.settings.deleteIndustry(
                    try invocation.text(CommandArguments.name), force: invocation.flag(industryForce), options: invocation.callOptions))
        },
        CommandSpec(
            ["industries", "list"], summary: "The industry list with customer counts.", examples: ["customerctl industries list"]
        ) { invocation in
            try invocation.printer.industries(try await invocation.client.settings.industries(options: invocation.callOptions))
        },
    ]

    static let project = Option.value("project", "PROJECT_ID", help: "Attach it to one of the customer's projects.")
    static let fileName = Option.value("name", "NAME", help: "Its name (default: the file's name).")
    static let contentType = Option.value("content-type", "TYPE", help: "E.g. application/pdf.")
    static let downloadTo = Option.value("to", "PATH", help: "Write it here instead of to standard output.", completion: .file)
    static let path = Argument("PATH", help: "The file to upload: a regular file (it is read twice, to hash it and to send it).", completion: .file)
    static let linkTitle = Option.value("title", "T", help: "The link's title.")
    static let url = Argument("URL", help: "The link.")
    static let title = Argument("TITLE", help: "The new title.")

    static let fileCommands: [CommandSpec] = [
        CommandSpec(
            ["files", "upload"], summary: "Upload a file to a customer or one of its projects (checked by SHA-256 on arrival).",
            arguments: [CommandArguments.customerID, path], options: [project, fileName, contentType],
            notes: """
                The file is streamed in chunks; the server keeps nothing unless every byte arrived and the
                SHA-256 matches. Default size limit: 100 MiB.
                """,
            examples: ["customerctl files upload 42 ./offer.pdf --project 7 --content-type application/pdf"]
        ) { invocation in
            let file = try invocation.text(path, at: 1)
            let info = try await FileUploader.upload(
                path: file, customerID: try invocation.id(CommandArguments.customerID), projectID: try invocation.integer(project),
                name: invocation.value(fileName) ?? URL(fileURLWithPath: file).lastPathComponent,
                contentType: invocation.value(contentType), invocation: invocation)
            try invocation.printer.files(FilesTab(files: [info], links: []))
        },
        CommandSpec(
            ["files", "download"], summary: "Download a file (to --to PATH, or to stdout).",
            arguments: [CommandArguments.id], options: [downloadTo],
            notes: """
                With --to, the content goes to a temporary file beside PATH, which becomes PATH only
                once every byte arrived and its SHA-256 matched: a failed or damaged download leaves
                PATH as it was. A file whose stored content was damaged fails with DATA_LOSS.
                """,
            examples: ["customerctl files download 3 --to offer.pdf"]
        ) { invocation in
            try await FileDownloader.download(id: try invocation.id(), to: invocation.value(downloadTo), invocation: invocation)
        },
        CommandSpec(
            ["files", "list"], summary: "A customer's files and links, and those of its projects.",
            arguments: [CommandArguments.customerID], examples: ["customerctl files list 42"]
        ) { invocation in
            try invocation.printer.files(
                try await invocation.client.files.list(customerID: try invocation.id(CommandArguments.customerID), options: invocation.callOptions))
        },
        CommandSpec(
            ["files", "rename"], summary: "Rename a file.", arguments: [CommandArguments.id, CommandArguments.newName],
            examples: ["customerctl files rename 3 offer-v2.pdf"]
        ) { invocation in
            let file = try await invocation.client.files.rename(
                id: try invocation.id(), to: try invocation.text(CommandArguments.newName, at: 1), options: invocation.callOptions)
            try invocation.printer.files(FilesTab(files: [file], links: []))
        },
        CommandSpec(
            ["files", "remove"], summary: "Remove a file.", arguments: [CommandArguments.id], examples: ["customerctl files remove 3"]
        ) { invocation in
            try invocation.printer.files(try await invocation.client.files.remove(id: try invocation.id(), options: invocation.callOptions))
        },
    ]

    static let linkCommands: [CommandSpec] = [
        CommandSpec(
            ["links", "add"], summary: "Add a link to a customer or one of its projects.",
            arguments: [CommandArguments.customerID, url], options: [linkTitle, project],
            examples: ["customerctl links add 42 https://wiki.example.com/acme --title Wiki"]
        ) { invocation in
            let link = try await invocation.client.files.addLink(
                customerID: try invocation.id(CommandArguments.customerID), projectID: try invocation.integer(project),
                url: try invocation.text(url, at: 1), title: invocation.value(linkTitle) ?? "", options: invocation.callOptions)
            try invocation.printer.files(FilesTab(files: [], links: [link]))
        },
        CommandSpec(
            ["links", "rename"], summary: "Retitle a link.", arguments: [CommandArguments.id, title],
            examples: ["customerctl links rename 4 \"Project wiki\""]
        ) { invocation in
            let link = try await invocation.client.files.renameLink(
                id: try invocation.id(), to: try invocation.text(title, at: 1), options: invocation.callOptions)
            try invocation.printer.files(FilesTab(files: [], links: [link]))
        },
        CommandSpec(
            ["links", "remove"], summary: "Remove a link.", arguments: [CommandArguments.id], examples: ["customerctl links remove 4"]
        ) { invocation in
            try invocation.printer.files(try await invocation.client.files.removeLink(id: try invocation.id(), options: invocation.callOptions))
        },
    ]
}
