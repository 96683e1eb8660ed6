import CommandLineKit
import CustomerCSV
import CustomerClient
import Foundation
import ServiceLog

/// `customerctl customers import` and `customers export`: CSV and JSON Lines with the same columns
/// (`CustomerColumns`), so an export imports again unchanged.
enum CustomerTransferCommands {
    static let file = Argument(
        "FILE", help: """
        The CSV file: a header row, then one customer a row (UTF-8, with or
        without BOM). A pipe will do: /dev/stdin, <(gunzip -c x.csv.gz).
        """, completion: .file)
    static let map = Option.repeatable("map", "COLUMN=FIELD", help: """
        Read the column COLUMN as FIELD (see FIELDS below); COLUMN= skips it.
        Without it a column's header must be a field's name.
        """)
    static let delimiter = Option.value("delimiter", "CHAR", help: "The field separator, one character. Default: ','.")
    static let dryRun = Option.flag("dry-run", help: "Check every row as a create would and report the bad ones; write nothing.")
    static let continueOnError = Option.flag("continue-on-error", help: """
        Import the good rows and report the bad ones. Without it one bad
        row refuses the whole import and nothing is written.
        """)
    static let format = Option.value("format", help: "Output format. Default: jsonl.", choices: ["jsonl", "csv"])

    static let fieldsHelp = "FIELDS: " + CustomerColumns.names.joined(separator: ", ") + "."
    static let listsHelp = """
        contact.keywords and contact.roles hold names of existing keywords and
        roles separated by |, a | or \\ in a name written \\| or \\\\.
        """

    static let importCommand = CommandSpec(
        ["customers", "import"], summary: "Create customers from a CSV file, each row checked as a create would.",
        arguments: [file],
        options: [map, delimiter, dryRun, continueOnError, CustomerOptions.allowDuplicateVat],
        notes: """
            A row's address.* columns give its head office, its contact.* columns its first contact
            (left out when all are empty). businessId must be the one the vatNumber names; without
            a vatNumber it is read as one (a bare Norwegian organisation number stays a business id).
            \(listsHelp)
            Quoting as RFC 4180; a row may take at most 1 MiB. The file is read as it is sent, a
            batch at a time, so its size does not matter to customerctl. All rows are written in
            one transaction once the last has arrived: a row refused here (or a file that turns out
            not to be CSV) at any line stops the import before that, and without --continue-on-error
            or --dry-run nothing is written. With --idempotency-key a retried import is not done
            twice (a pipe's rows cannot be sent again after a lost connection: the error names
            the key to run it again with). A progress bar shows on stderr when it is a terminal. Problems are listed
            as 'line N: field: reason' (the first 10000 found here).
            \(fieldsHelp)
            """,
        examples: [
            "customerctl customers import customers.csv --dry-run",
            "customerctl customers import asiakkaat.csv --delimiter ';' --map Nimi=name --map Y-tunnus=vatNumber",
        ]
    ) { invocation in
        let path = try invocation.text(file)
        let separator = invocation.value(delimiter) ?? ","
        guard separator.utf8.count == 1, let byte = separator.utf8.first, byte != UInt8(ascii: "\""),
              byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
            throw UsageError("--delimiter must be one ASCII character other than a quote or a line break, got '\(separator)'")
        }
        let input = try await InputFile.open(path, for: .readOnce)
        defer { input.close() }
        let feed = try await ImportFeed.open(input, delimiter: byte, maps: invocation.values(map))
        let options = ImportOptions(
            dryRun: invocation.flag(dryRun) ? true : nil, continueOnError: invocation.flag(continueOnError) ? true : nil,
            allowDuplicateVat: invocation.flag(CustomerOptions.allowDuplicateVat) ? true : nil)
        let refusesAll = !invocation.flag(dryRun) && !invocation.flag(continueOnError)
        var callOptions = invocation.callOptions
        // The key is named in the refusal of a retry that cannot read a pipe again (below).
        if !invocation.flag(dryRun), callOptions.idempotencyKey == nil { callOptions.idempotencyKey = IdempotencyKey.generate() }
        let progress = ProgressBar(totalBytes: input.size)
        // Why customerctl itself cut the stream short: the call then ends CANCELLED, and the server,
        // which writes only once the stream has ended, writes nothing.
        var stopped: (any Error)?
        var attempts = 0
        var response: ImportCustomersResponse
        do {
            response = try await invocation.client.customers.importRecords(options, callOptions: callOptions) { send in
                attempts += 1
                do {
                    // A call sent again after UNAVAILABLE sends every row again.
                    if attempts > 1, !(try await feed.restart()) {
                        throw ImportNotRepeated(key: callOptions.idempotencyKey ?? "")
                    }
                    while let batch = try await feed.nextBatch() {
                        let read = feed.read
                        progress.update(rows: read.rows, bytes: input.offset)
                        // Once a row is refused here nothing will be imported: the rest is only
                        // read for its problems, as many as are listed.
                        guard refusesAll, read.problemCount > 0 else {
                            try await send(batch)
                            continue
                        }
                        if read.problems.count >= CustomerImport.maxProblems { throw ImportRefused(readNoFurther: true) }
                    }
                    if refusesAll, feed.read.problemCount > 0 { throw ImportRefused(readNoFurther: false) }
                } catch let error as RPCError {
                    throw error
                } catch {
                    stopped = error
                    throw error
                }
            }
            progress.finish()
        } catch let error as RPCError where error.code == .invalidArgument && !error.details.isEmpty {
            progress.finish()
            LogSink.writeToStandardError(error.details.map { TerminalText.escaped("\($0.field): \($0.reason)") + "\n" }.joined())
            throw RPCError(error.code, error.message)
        } catch let error as RPCError where stopped != nil {
            progress.finish()
            let read = feed.read
            switch stopped {
            case let refused as ImportRefused:
                LogSink.writeToStandardError(lines(read.problems))
                let count = refused.readNoFurther
                    ? "\(read.problemCount) problems in the first \(read.rows) rows of the file (read no further)"
                    : "\(read.problemCount) problems in the file"
                throw RPCError(.invalidArgument, "\(count); nothing was imported")
            case let notRepeated as ImportNotRepeated:
                throw RPCError(.unavailable, notRepeated.description)
            default:
                // What the file itself did wrong (a quote not closed, a row too long, a failed
                // read): said as it was before any row was sent.
                throw stopped ?? error
            }
        }
        let read = feed.read
        // The server's counts are added to with wrapping: a count near Int64.max from a broken
        // server must print oddly, not crash the tool.
        response.rows &+= Int64(read.rows - read.batchedRows)
        response.rejectedRows &+= Int64(read.rejectedRows)
        response.problems = (read.problems + response.problems).sorted { $0.line < $1.line }
        if invocation.output == .json {
            try invocation.printer.printJSON(response)
        } else {
            let verb = response.dryRun ? "Dry run: \(response.rows) rows checked"
                : "Imported \(response.imported) customer\(response.imported == 1 ? "" : "s")"
            print(response.rejectedRows == 0 ? "\(verb)." : "\(verb); \(response.rejectedRows) rows rejected:")
            print(lines(response.problems), terminator: "")
            if response.dryRun { print("Nothing was written.") }
        }
        if response.rejectedRows > 0 {
            throw RPCError(.invalidArgument, "\(response.rejectedRows) of \(response.rows) rows were rejected")
        }
    }

    static let exportCommand = CommandSpec(
        ["customers", "export"], summary: "Stream every matching customer as JSON Lines or CSV, as import reads it.",
        options: CustomerOptions.filters + [format, CSV.forSpreadsheet],
        notes: """
            The columns are import's fields, so an export imports again unchanged (not with
            --for-spreadsheet): the head office as address.*, the first contact as contact.* with
            its keywords and roles, the business id as businessId. Streams with flow control:
            constant memory whatever the number of customers.
            The customers matching when the export starts, each once, in their order then and as each
            is when its turn comes: one renamed meanwhile is neither missed nor written twice.
            \(listsHelp)
            \(fieldsHelp)
            """,
        examples: ["customerctl customers export --all > customers.jsonl",
                   "customerctl customers export --all --format csv > customers.csv",
                   "customerctl customers export --all --format csv --for-spreadsheet > open-in-excel.csv"]
    ) { invocation in
        let csv = invocation.value(format) == "csv"
        let forSpreadsheet = invocation.flag(CSV.forSpreadsheet)
        if forSpreadsheet, !csv { throw UsageError("--for-spreadsheet needs --format csv") }
        let output = Output(format: .json)
        var buffer = Data()
        if csv { buffer.append(Data(CSV.line(CustomerColumns.names).utf8)) }
        for try await record in invocation.client.customers.export(
            try CustomerOptions.query(from: invocation), options: invocation.callOptions)
        {
            guard csv else {
                // One object a line, keyed by column name, holding the columns that have a value.
                try output.jsonLine(CustomerColumns.all.reduce(into: [String: String]()) { $0[$1.name] = $1.get(record) })
                continue
            }
            let cells = CustomerColumns.all.map { $0.get(record) }
            buffer.append(Data(CSV.line(cells, forSpreadsheet: forSpreadsheet).utf8))
            if buffer.count >= 64 * 1024 {
                try StandardOutput.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try StandardOutput.write(buffer)
    }

    /// Thrown by the rows of an all-or-nothing import with a row refused here: the stream is cancelled
    /// before it ends, so the server writes nothing, however many rows it had taken.
    private struct ImportRefused: Error {
        /// Whether it stopped at the most problems listed, before the end of the file.
        let readNoFurther: Bool
    }

    /// A call the server lost (UNAVAILABLE, sent again with the same key) whose rows came from a pipe.
    private struct ImportNotRepeated: Error, CustomStringConvertible {
        let key: String
        var description: String {
            "the connection to the server was lost while the import was sent, and its rows came from a pipe, "
                + "which cannot be read twice; run the import again with --idempotency-key \(key): "
                + "if the server had written it, it answers as it did then instead of importing again"
        }
    }

    /// "line 7: email: must be ...", a line each, escaped: the reasons are the server's words.
    private static func lines(_ problems: [ImportProblem]) -> String {
        problems.map { TerminalText.escaped("line \($0.line): \($0.field.isEmpty ? "" : $0.field + ": ")\($0.reason)") + "\n" }.joined()
    }
}
