import CommandLineKit
import CustomerClient

/// One leaf command of customerctl: its place in the tree, its help, what it accepts, what it does.
struct CommandSpec: Sendable {
    /// e.g. ["customers", "create"].
    let path: [String]
    let summary: String
    /// The usage line without the leading "customerctl".
    let usage: String
    /// OPTIONS / ARGUMENTS / EXAMPLE sections, already formatted.
    let details: String
    let options: Set<String>
    let flags: Set<String>
    let maxPositionals: Int
    let run: @Sendable (Invocation) async throws -> Void

    init(
        _ path: [String], summary: String, usage: String, details: String,
        options: Set<String> = [], flags: Set<String> = [], maxPositionals: Int = 0,
        run: @escaping @Sendable (Invocation) async throws -> Void
    ) {
        self.path = path
        self.summary = summary
        self.usage = usage
        self.details = details
        self.options = options
        self.flags = flags
        self.maxPositionals = maxPositionals
        self.run = run
    }

    var name: String { path.joined(separator: " ") }

    var helpText: String {
        """
        OVERVIEW: \(summary)

        USAGE: customerctl \(usage)

        \(details)
        GLOBAL OPTIONS:
        \(GlobalOptions.helpLines)
        """
    }
}

/// What a running command gets: its parsed arguments, the client and the output format.
struct Invocation: Sendable {
    let arguments: ParsedArguments
    let client: CustomerClient
    let output: OutputFormat
    let callOptions: CallOptions

    /// The single positional argument as an id, or a usage error naming what is missing.
    func requiredID(_ what: String = "ID") throws -> Int64 {
        guard let text = arguments.positionals.first else {
            throw UsageError("missing \(what)")
        }
        guard let id = Int64(text) else {
            throw UsageError("\(what) must be a whole number, got '\(text)'")
        }
        return id
    }
}
