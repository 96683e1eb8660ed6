/// One positional argument of a command, declared once for its USAGE line, its help and the count
/// of positionals the command accepts.
public struct Argument: Sendable, Hashable {
    /// As the usage writes it, e.g. `ID`, `CUSTOMER_ID`, `customer|address|contact`.
    public let name: String
    /// One line or several (`\n`).
    public let help: String
    /// Written in brackets in the USAGE line; the command decides what its absence means.
    public let isOptional: Bool
    /// The words a shell offers for it, when the set is closed; the command checks them itself.
    public let choices: [String]
    public let completion: Option.Completion

    public init(
        _ name: String, help: String = "", optional: Bool = false, choices: [String] = [], completion: Option.Completion = .none
    ) {
        self.name = name
        self.help = help
        self.isOptional = optional
        self.choices = choices
        self.completion = completion
    }

    public var usage: String { isOptional ? "[\(name)]" : name }
}
