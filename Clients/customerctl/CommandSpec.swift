import CommandLineKit
import CustomerClient

/// One leaf command of customerctl: its place in the tree, its help, what it accepts, what it does.
/// Its usage line and its ARGUMENTS and OPTIONS help are written from `signature`.
struct CommandSpec: Sendable {
    /// e.g. ["customers", "create"].
    let path: [String]
    let summary: String
    let signature: Signature
    /// Free text between the OPTIONS and the EXAMPLE sections.
    let notes: String
    /// Example command lines, each shown on a line of its own.
    let examples: [String]
    let run: @Sendable (Invocation) async throws -> Void

    init(
        _ path: [String], summary: String, arguments: [Argument] = [], moreArguments: Bool = false, options: [Option] = [],
        notes: String = "", examples: [String], run: @escaping @Sendable (Invocation) async throws -> Void
    ) {
        self.path = path
        self.summary = summary
        self.signature = Signature(arguments: arguments, options: options, acceptsMoreArguments: moreArguments)
        self.notes = notes
        self.examples = examples
        self.run = run
    }

    var name: String { path.joined(separator: " ") }

    /// The usage line without the leading "customerctl".
    var usage: String { signature.usage.isEmpty ? name : name + " " + signature.usage }

    var helpText: String {
        """
        OVERVIEW: \(summary)

        USAGE: customerctl \(usage)

        \(signature.help())\(notes.isEmpty ? "" : notes + "\n\n")EXAMPLE:
        \(examples.map { "  " + $0 }.joined(separator: "\n"))

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
    /// For a call that runs until stopped (``GlobalOptions/untilStoppedCallOptions``).
    let untilStoppedCallOptions: CallOptions

    /// The positional `argument` (the first unless `at` says otherwise), or a usage error naming it.
    func text(_ argument: Argument, at index: Int = 0) throws -> String {
        guard index < arguments.positionals.count else { throw UsageError("missing \(argument.name)") }
        return arguments.positionals[index]
    }

    /// The positional `argument` as an id, or a usage error naming what is missing or wrong.
    func id(_ argument: Argument = CommandArguments.id, at index: Int = 0) throws -> Int64 {
        let text = try text(argument, at: index)
        guard let id = Int64(text) else {
            throw UsageError("\(argument.name) must be a whole number, got '\(text)'")
        }
        return id
    }

    func value(_ option: Option) -> String? { arguments.value(option) }
    func values(_ option: Option) -> [String] { arguments.allValues(option) }
    func flag(_ option: Option) -> Bool { arguments.flag(option) }
    func integer<T: FixedWidthInteger>(_ option: Option, as type: T.Type = T.self) throws -> T? {
        try arguments.integer(option, as: type)
    }

    /// The output in the format the command line asked for.
    var printer: Output { Output(format: output) }
}
