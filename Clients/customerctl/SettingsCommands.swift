import CommandLineKit
import CustomerClient
import Foundation
import Hashing

/// `customerctl settings ...`, `segments ...`, `industries ...`, `files ...`, `links ...`.
enum SettingsCommands {
    static let settingsOptions: Set<String> = [
        "channel", "invoice-email", "einvoice-address", "einvoice-operator", "payment-term", "currency", "vat-rate",
        "language", "reference", "template",
    ]

    static func settingsFields(_ arguments: ParsedArguments) throws -> CustomerSettingsFields {
        var channel: CustomerSettings.InvoiceChannel?
        if let text = arguments.value("channel") {
            guard let parsed = ["email": CustomerSettings.InvoiceChannel.email, "e-invoice": .eInvoice, "paper": .paper][text] else {
                throw UsageError("--channel takes email, e-invoice or paper, got '\(text)'")
            }
            channel = parsed
        }
        return CustomerSettingsFields(
            invoiceChannel: channel, invoiceEmail: arguments.value("invoice-email"),
            eInvoiceAddress: arguments.value("einvoice-address"), eInvoiceOperator: arguments.value("einvoice-operator"),
            paymentTermDays: try arguments.integer("payment-term"), currency: arguments.value("currency"),
            vatRate: try ProjectCommands.decimal(arguments, "vat-rate"), invoiceLanguage: arguments.value("language"),
            reference: arguments.value("reference"), invoiceTemplate: arguments.value("template"))
    }

    static let all: [CommandSpec] = [
        CommandSpec(
            ["settings", "get"], summary: "A customer's default invoicing settings.", usage: "settings get CUSTOMER_ID",
            details: "EXAMPLE:\n  customerctl settings get 42\n\n", maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).settings(
                try await invocation.client.settings.get(customerID: try invocation.requiredID("CUSTOMER_ID"), options: invocation.callOptions))
        },
        CommandSpec(
            ["settings", "update"], summary: "Change some of a customer's invoicing settings.",
            usage: "settings update CUSTOMER_ID [--expect-version V] [setting options]",
            details: """
                OPTIONS:
                  --channel C              email, e-invoice or paper.
                  --invoice-email E        Where email invoices go (needed for the email channel).
                  --einvoice-address A     E-invoice address, e.g. OVT 003701120389 (needed for e-invoice).
                  --einvoice-operator O    E-invoice operator code.
                  --payment-term DAYS      0 to 365.
                  --currency C             ISO 4217.
                  --vat-rate R             Percent, exact (e.g. 25.5).
                  --language L             Invoice language (2-3 letters).
                  --reference R            Reference on every invoice.
                  --template T             Invoice template name.
                  --expect-version V       Refuse (ABORTED) if someone changed them since version V.
                  An empty value clears a setting.

                EXAMPLE:
                  customerctl settings update 42 --channel e-invoice --einvoice-address 003701120389 --einvoice-operator 003721291126

                """,
            options: settingsOptions.union(["expect-version"]), maxPositionals: 1
        ) { invocation in
            let fields = try settingsFields(invocation.arguments)
            guard !fields.isEmpty else { throw UsageError("nothing to change: give at least one setting") }
            try Output(format: invocation.output).settings(
                try await invocation.client.settings.update(
                    customerID: try invocation.requiredID("CUSTOMER_ID"), fields,
                    expectedVersion: try invocation.arguments.integer("expect-version"), options: invocation.callOptions))
        },
        CommandSpec(
            ["segments", "create"], summary: "Add a market segment (administrators).", usage: "segments create NAME [--parent ID]",
            details: "OPTIONS:\n  --parent ID              The parent segment; none makes a root.\n\nEXAMPLE:\n  customerctl segments create Machinery --parent 2\n\n",
            options: ["parent"], maxPositionals: 1
        ) { invocation in
            guard let name = invocation.arguments.positionals.first else { throw UsageError("missing NAME") }
            try Output(format: invocation.output).segments(
                [try await invocation.client.settings.createSegment(name, parentID: try invocation.arguments.integer("parent"), options: invocation.callOptions)])
        },
        CommandSpec(
            ["segments", "update"], summary: "Rename and/or move a market segment (administrators).",
            usage: "segments update ID [--name NAME] [--parent ID | --root]",
            details: "OPTIONS:\n  --name NAME              New name.\n  --parent ID              New parent (cycles are refused).\n  --root                   Make it a root.\n\nEXAMPLE:\n  customerctl segments update 5 --parent 2\n\n",
            options: ["name", "parent"], flags: ["root"], maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).segments(
                [try await invocation.client.settings.updateSegment(
                    UpdateSegmentRequest(
                        id: try invocation.requiredID(), name: invocation.arguments.value("name"),
                        parentId: try invocation.arguments.integer("parent"), moveToRoot: invocation.arguments.flag("root") ? true : nil),
                    options: invocation.callOptions)])
        },
        CommandSpec(
            ["segments", "delete"], summary: "Delete a market segment; one chosen for customers needs --force.",
            usage: "segments delete ID [--force]",
            details: "EXAMPLE:\n  customerctl segments delete 5 --force\n\n", flags: ["force"], maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).segments(
                try await invocation.client.settings.deleteSegment(
                    id: try invocation.requiredID(), force: invocation.arguments.flag("force"), options: invocation.callOptions))
        },
        CommandSpec(
            ["segments", "list"], summary: "The market segment tree, by path.", usage: "segments list",
            details: "EXAMPLE:\n  customerctl segments list\n\n"
        ) { invocation in
            try Output(format: invocation.output).segments(try await invocation.client.settings.segments(options: invocation.callOptions))
        },
        CommandSpec(
            ["segments", "set"], summary: "Choose a customer's market segments (replaces the set).",
            usage: "segments set CUSTOMER_ID [SEGMENT_ID...]",
            details: "EXAMPLE:\n  customerctl segments set 42 5 9\n\n", maxPositionals: 100
        ) { invocation in
            let ids = try invocation.arguments.positionals.dropFirst().map { text -> Int64 in
                guard let id = Int64(text) else { throw UsageError("SEGMENT_ID must be a whole number, got '\(text)'") }
                return id
            }
            try Output(format: invocation.output).segments(
                try await invocation.client.settings.setCustomerSegments(
                    customerID: try invocation.requiredID("CUSTOMER_ID"), ids, options: invocation.callOptions))
        },
        CommandSpec(
            ["industries", "add"], summary: "Add an industry to the list (administrators).", usage: "industries add NAME",
            details: "EXAMPLE:\n  customerctl industries add Manufacturing\n\n", maxPositionals: 1
        ) { invocation in
            guard let name = invocation.arguments.positionals.first else { throw UsageError("missing NAME") }
            try Output(format: invocation.output).industries([try await invocation.client.settings.createIndustry(name, options: invocation.callOptions)])
        },
        CommandSpec(
            ["industries", "rename"], summary: "Rename an industry (its customers follow).", usage: "industries rename NAME NEW_NAME",
            details: "EXAMPLE:\n  customerctl industries rename Shipping Maritime\n\n", maxPositionals: 2
        ) { invocation in
            guard invocation.arguments.positionals.count == 2 else { throw UsageError("give NAME and NEW_NAME") }
            try Output(format: invocation.output).industries(
                [try await invocation.client.settings.renameIndustry(
                    invocation.arguments.positionals[0], to: invocation.arguments.positionals[1], options: invocation.callOptions)])
        },
        CommandSpec(
            ["industries", "delete"], summary: "Delete an industry; one in use needs --force (its customers lose it).",
            usage: "industries delete NAME [--force]",
            details: "EXAMPLE:\n  customerctl industries delete Maritime --force\n\n", flags: ["force"], maxPositionals: 1
        ) { invocation in
            guard let name = invocation.arguments.positionals.first else { throw UsageError("missing NAME") }
            try Output(format: invocation.output).industries(
                try await invocation.client.settings.deleteIndustry(name, force: invocation.arguments.flag("force"), options: invocation.callOptions))
        },
        CommandSpec(
            ["industries", "list"], summary: "The industry list with customer counts.", usage: "industries list",
            details: "EXAMPLE:\n  customerctl industries list\n\n"
        ) { invocation in
            try Output(format: invocation.output).industries(try await invocation.client.settings.industries(options: invocation.callOptions))
        },
        CommandSpec(
            ["files", "upload"], summary: "Upload a file to a customer or one of its projects (checked by SHA-256 on arrival).",
            usage: "files upload CUSTOMER_ID PATH [--project PROJECT_ID] [--name NAME] [--content-type TYPE]",
            details: """
                OPTIONS:
                  --project PROJECT_ID     Attach it to one of the customer's projects.
                  --name NAME              Its name (default: the file's name).
                  --content-type TYPE      E.g. application/pdf.

                The file is streamed in chunks; the server keeps nothing unless every byte arrived and the
                SHA-256 matches. Default size limit: 100 MiB.

                EXAMPLE:
                  customerctl files upload 42 ./offer.pdf --project 7 --content-type application/pdf

                """,
            options: ["project", "name", "content-type"], maxPositionals: 2
        ) { invocation in
            guard invocation.arguments.positionals.count == 2 else { throw UsageError("give CUSTOMER_ID and PATH") }
            let path = invocation.arguments.positionals[1]
            let info = try await FileUploader.upload(
                path: path, customerID: try invocation.requiredID("CUSTOMER_ID"), projectID: try invocation.arguments.integer("project"),
                name: invocation.arguments.value("name") ?? URL(fileURLWithPath: path).lastPathComponent,
                contentType: invocation.arguments.value("content-type"), invocation: invocation)
            try Output(format: invocation.output).files(FilesTab(files: [info], links: []))
        },
        CommandSpec(
            ["files", "download"], summary: "Download a file (to --to PATH, or to stdout).",
            usage: "files download ID [--to PATH]",
            details: """
                OPTIONS:
                  --to PATH                Write it here instead of to standard output.

                With --to, the content goes to a temporary file beside PATH, which becomes PATH only
                once every byte arrived and its SHA-256 matched: a failed or damaged download leaves
                PATH as it was. A file whose stored content was damaged fails with DATA_LOSS.

                EXAMPLE:
                  customerctl files download 3 --to offer.pdf

                """,
            options: ["to"], maxPositionals: 1
        ) { invocation in
            try await FileDownloader.download(id: try invocation.requiredID(), to: invocation.arguments.value("to"),
                                              invocation: invocation)
        },
        CommandSpec(
            ["files", "list"], summary: "A customer's files and links, and those of its projects.", usage: "files list CUSTOMER_ID",
            details: "EXAMPLE:\n  customerctl files list 42\n\n", maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).files(
                try await invocation.client.files.list(customerID: try invocation.requiredID("CUSTOMER_ID"), options: invocation.callOptions))
        },
        CommandSpec(
            ["files", "rename"], summary: "Rename a file.", usage: "files rename ID NAME",
            details: "EXAMPLE:\n  customerctl files rename 3 offer-v2.pdf\n\n", maxPositionals: 2
        ) { invocation in
            guard invocation.arguments.positionals.count == 2 else { throw UsageError("give ID and NAME") }
            let file = try await invocation.client.files.rename(
                id: try invocation.requiredID(), to: invocation.arguments.positionals[1], options: invocation.callOptions)
            try Output(format: invocation.output).files(FilesTab(files: [file], links: []))
        },
        CommandSpec(
            ["files", "remove"], summary: "Remove a file.", usage: "files remove ID",
            details: "EXAMPLE:\n  customerctl files remove 3\n\n", maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).files(
                try await invocation.client.files.remove(id: try invocation.requiredID(), options: invocation.callOptions))
        },
        CommandSpec(
            ["links", "add"], summary: "Add a link to a customer or one of its projects.",
            usage: "links add CUSTOMER_ID URL [--title T] [--project PROJECT_ID]",
            details: "EXAMPLE:\n  customerctl links add 42 https://wiki.example.com/acme --title Wiki\n\n",
            options: ["title", "project"], maxPositionals: 2
        ) { invocation in
            guard invocation.arguments.positionals.count == 2 else { throw UsageError("give CUSTOMER_ID and URL") }
            let link = try await invocation.client.files.addLink(
                customerID: try invocation.requiredID("CUSTOMER_ID"), projectID: try invocation.arguments.integer("project"),
                url: invocation.arguments.positionals[1], title: invocation.arguments.value("title") ?? "", options: invocation.callOptions)
            try Output(format: invocation.output).files(FilesTab(files: [], links: [link]))
        },
        CommandSpec(
            ["links", "rename"], summary: "Retitle a link.", usage: "links rename ID TITLE",
            details: "EXAMPLE:\n  customerctl links rename 4 \"Project wiki\"\n\n", maxPositionals: 2
        ) { invocation in
            guard invocation.arguments.positionals.count == 2 else { throw UsageError("give ID and TITLE") }
            let link = try await invocation.client.files.renameLink(
                id: try invocation.requiredID(), to: invocation.arguments.positionals[1], options: invocation.callOptions)
            try Output(format: invocation.output).files(FilesTab(files: [], links: [link]))
        },
        CommandSpec(
            ["links", "remove"], summary: "Remove a link.", usage: "links remove ID",
            details: "EXAMPLE:\n  customerctl links remove 4\n\n", maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).files(
                try await invocation.client.files.removeLink(id: try invocation.requiredID(), options: invocation.callOptions))
        },
    ]
}

/// Streams a file from disk: one pass to hash it (the header carries size and SHA-256), one to send it.
enum FileUploader {
    static func upload(
        path: String, customerID: Int64, projectID: Int64?, name: String, contentType: String?, invocation: Invocation
    ) async throws -> FileInfo {
        guard let hashing = FileHandle(forReadingAtPath: path) else { throw UsageError("cannot read \(path)") }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try hashing.read(upToCount: Files.chunkSize), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
            size += Int64(chunk.count)
        }
        try hashing.close()
        guard let reading = FileHandle(forReadingAtPath: path) else { throw UsageError("cannot read \(path)") }
        defer { try? reading.close() }
        let header = UploadFileMessage.Header(
            customerId: customerID, projectId: projectID, name: name, size: size, sha256: hasher.finalizeHex(), contentType: contentType)
        return try await invocation.client.files.upload(header, options: invocation.callOptions) { send in
            while let chunk = try reading.read(upToCount: Files.chunkSize), !chunk.isEmpty {
                try await send(chunk)
            }
        }
    }
}
