/// One command-line option, declared once: parsing, the USAGE line, the OPTIONS help, "Did you
/// mean …?" and shell completion are all read from this value, so they cannot drift apart.
///
/// The same spelling may mean different things in different commands (`--country` is a customer's
/// field in one and a filter in another); each meaning is one declaration.
public struct Option: Sendable, Hashable {
    /// What follows the option on the command line.
    public enum Kind: Sendable, Hashable {
        /// Nothing: present or absent.
        case flag
        /// One value; given twice, the last wins.
        case value
        /// One value each time; every one is kept, in order.
        case repeatable
    }

    /// What a shell may offer as the option's value.
    public enum Completion: Sendable, Hashable {
        case none
        case file
        case directory
    }

    /// Without the leading `--`.
    public let name: String
    /// Without the leading `-`, e.g. `h` for `-h`.
    public let shortName: Character?
    public let kind: Kind
    /// Shown after the name: `--name NAME`; empty for a flag.
    public let valueName: String
    /// One line or several (`\n`); the help layout indents the lines after the first.
    public let help: String
    /// The only values accepted, when the set is closed: refused otherwise (with "Did you mean …?")
    /// and offered by shell completion.
    public let choices: [String]
    /// Refused when absent ("missing --name"), and written without brackets in the USAGE line.
    public let isRequired: Bool
    public let completion: Completion

    public init(
        _ name: String, short: Character? = nil, kind: Kind, valueName: String = "", help: String,
        choices: [String] = [], required: Bool = false, completion: Completion = .none
    ) {
        self.name = name
        self.shortName = short
        self.kind = kind
        self.valueName = kind == .flag ? "" : (valueName.isEmpty ? choices.joined(separator: "|") : valueName)
        self.help = help
        self.choices = choices
        self.isRequired = required
        self.completion = completion
    }

    /// `--name` alone: present or absent.
    public static func flag(_ name: String, short: Character? = nil, help: String) -> Option {
        Option(name, short: short, kind: .flag, help: help)
    }

    /// `--name VALUE`; `choices` closes the set of accepted values (and names the value when
    /// `valueName` is empty: `--order name|number`).
    public static func value(
        _ name: String, _ valueName: String = "", short: Character? = nil, help: String, choices: [String] = [],
        required: Bool = false, completion: Completion = .none
    ) -> Option {
        Option(name, short: short, kind: .value, valueName: valueName, help: help, choices: choices, required: required,
               completion: completion)
    }

    /// `--name VALUE`, repeatable: every value is kept, in order.
    public static func repeatable(
        _ name: String, _ valueName: String, short: Character? = nil, help: String, choices: [String] = [],
        completion: Completion = .none
    ) -> Option {
        Option(name, short: short, kind: .repeatable, valueName: valueName, help: help, choices: choices,
               completion: completion)
    }

    /// The same option, refused when absent: for the command that cannot do without it.
    public func required() -> Option {
        Option(name, short: shortName, kind: kind, valueName: valueName, help: help, choices: choices, required: true,
               completion: completion)
    }

    /// `--help`, `-h`: accepted by every command.
    public static let help = Option.flag("help", short: "h", help: "Show help for the command.")

    public var spelling: String { "--" + name }

    /// `--name VALUE` (or `--name` for a flag), as the help and usage write it.
    public var label: String { valueName.isEmpty ? spelling : spelling + " " + valueName }

    /// The option as the USAGE line writes it: `--name NAME`, `[--street LINE]...`, `[--confirm]`.
    public var usage: String {
        let body = isRequired ? label : "[\(label)]"
        return kind == .repeatable ? body + "..." : body
    }

    /// The checked value: one of `choices` when there are any; not empty when it names a file or
    /// directory (`--socket ""` got as far as connect(2), "File name too long", and customerd's
    /// `--database ""` as far as open(2), before naming the option: redteam32b).
    public func check(_ value: String) throws(UsageError) {
        if value.isEmpty, completion != .none {
            throw UsageError("\(spelling) needs a path, got an empty one")
        }
        guard !choices.isEmpty, !choices.contains(value) else { return }
        throw UsageError("\(spelling) takes \(Self.alternatives(choices)), got '\(value)'",
                         suggestion: Suggestion.closest(to: value, among: choices))
    }

    /// 'a', 'b' or 'c'.
    static func alternatives(_ words: [String]) -> String {
        let quoted = words.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.joined() }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted[quoted.count - 1]
    }
}
