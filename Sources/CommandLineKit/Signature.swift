/// What a command accepts: its positional arguments and its options, each declared once.
/// The parser, the USAGE line and the ARGUMENTS / OPTIONS help all read this one value.
public struct Signature: Sendable {
    public var arguments: [Argument]
    public var options: [Option]
    /// Arguments after the declared ones are kept rather than refused (e.g. `run [SCENARIO ...]`).
    public var acceptsMoreArguments: Bool

    public init(arguments: [Argument] = [], options: [Option] = [], acceptsMoreArguments: Bool = false) {
        self.arguments = arguments
        self.options = options
        self.acceptsMoreArguments = acceptsMoreArguments
    }

    /// Every option the command accepts, `--help` included.
    public var allOptions: [Option] { options.contains { $0.name == Option.help.name } ? options : options + [.help] }

    /// Parses `words`; unless help was asked for, also checks required options and the number of
    /// positionals, so that a command's code only sees a complete call.
    public func parse(_ words: some Sequence<String>) throws(UsageError) -> ParsedArguments {
        let parsed = try ParsedArguments(words, options: allOptions)
        if parsed.wantsHelp { return parsed }
        for option in options where option.isRequired && !parsed.isGiven(option) {
            throw UsageError("missing \(option.spelling)")
        }
        if !acceptsMoreArguments, parsed.positionals.count > arguments.count {
            throw UsageError("unexpected argument '\(parsed.positionals[arguments.count])'")
        }
        return parsed
    }

    /// The arguments, then the options, as the USAGE line writes them.
    public var usage: String {
        var words = arguments.map(\.usage)
        if acceptsMoreArguments, let last = arguments.last {
            words[words.count - 1] = last.isOptional ? "[\(last.name) ...]" : "\(last.name) ..."
        }
        words += options.filter { $0.name != Option.help.name }.map(\.usage)
        return words.joined(separator: " ")
    }

    /// The ARGUMENTS and OPTIONS sections, each followed by an empty line; empty when there is nothing to say.
    public func help(column: Int = HelpLayout.column) -> String {
        var text = ""
        let described = arguments.filter { !$0.help.isEmpty }
        if !described.isEmpty {
            text += "ARGUMENTS:\n" + HelpLayout.rows(described.map { ($0.name, $0.help) }, column: column) + "\n"
        }
        // A command's own `--help` row (its wording) is shown; the default one goes without saying.
        let shown = options.filter { $0 != .help }
        if !shown.isEmpty {
            text += "OPTIONS:\n" + HelpLayout.rows(shown.map(HelpLayout.row), column: column) + "\n"
        }
        return text
    }
}
