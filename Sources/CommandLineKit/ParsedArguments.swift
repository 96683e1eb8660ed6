/// Command-line arguments parsed against a declared set of options and flags.
///
/// Declaring every option up front is what lets an unknown one fail with
/// "Did you mean …?" instead of being silently taken as a value or ignored.
/// Accepted spellings: `--name value`, `--name=value`, `--flag`, `-h`; `--` ends options.
public struct ParsedArguments: Sendable {
    public private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// - Parameters:
    ///   - options: names (without `--`) that take a value.
    ///   - flags: names (without `--`) that take none; `help` is always accepted, `-h` is its short form.
    public init(_ arguments: some Sequence<String>, options: Set<String>, flags: Set<String>) throws(UsageError) {
        var iterator = arguments.makeIterator()
        var optionsEnded = false
        while let argument = iterator.next() {
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" || Self.isNegativeNumber(argument) {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "-h" || argument == "--help" {
                self.flags.insert("help")
                continue
            }
            guard argument.hasPrefix("--") else {
                throw UsageError("unknown option '\(argument)'")
            }
            let body = argument.dropFirst(2)
            let name: String
            var inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
            }
            if options.contains(name) {
                guard let value = inlineValue ?? iterator.next() else {
                    throw UsageError("option '--\(name)' needs a value")
                }
                values[name, default: []].append(value)
            } else if flags.contains(name) {
                if inlineValue != nil {
                    throw UsageError("flag '--\(name)' takes no value")
                }
                self.flags.insert(name)
            } else {
                let known = (options.union(flags).union(["help"])).map { "--" + $0 }
                throw UsageError("unknown option '--\(name)'", suggestion: Suggestion.closest(to: "--" + name, among: known))
            }
        }
    }

    public var wantsHelp: Bool { flags.contains("help") }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The last value given for an option (a repeated option overrides, as in most tools).
    public func value(_ name: String) -> String? { values[name]?.last }

    /// Every value given for a repeatable option, in order.
    public func allValues(_ name: String) -> [String] { values[name] ?? [] }

    /// The option's value as an integer, or a usage error naming the option.
    public func integer<T: FixedWidthInteger>(_ name: String, as type: T.Type = T.self) throws(UsageError) -> T? {
        guard let text = value(name) else { return nil }
        guard let number = T(text) else {
            throw UsageError("option '--\(name)' needs a whole number, got '\(text)'")
        }
        return number
    }

    /// Fails when more positional arguments were given than the command takes.
    public func expectPositionals(atMost count: Int) throws(UsageError) {
        if positionals.count > count {
            throw UsageError("unexpected argument '\(positionals[count])'")
        }
    }

    private static func isNegativeNumber(_ argument: String) -> Bool {
        argument.count > 1 && argument.dropFirst().allSatisfy(\.isNumber)
    }
}
