/// Command-line arguments parsed against a command's declared options.
///
/// Declaring every option up front is what lets an unknown one fail with
/// "Did you mean …?" instead of being silently taken as a value or ignored.
/// Accepted spellings: `--name value`, `--name=value`, `-n value`, `--flag`, `-h`; `--` ends options.
/// Values are read back by the declaration, never by a spelled-out name.
public struct ParsedArguments: Sendable {
    public private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Prefer `Signature.parse`, which also checks required options and the positionals' count.
    public init(_ arguments: some Sequence<String>, options: [Option]) throws(UsageError) {
        let options = options.contains { $0.name == Option.help.name } ? options : options + [.help]
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
            let (typed, inlineValue) = Self.split(argument)
            let option: Option?
            if typed.hasPrefix("--") {
                option = options.first { $0.spelling == typed }
            } else {
                option = typed.count == 2 ? options.first { $0.shortName.map { "-\($0)" } == typed } : nil
            }
            guard let option else {
                let known = options.map(\.spelling)
                throw UsageError("unknown option '\(typed)'",
                                 suggestion: typed.hasPrefix("--") ? Suggestion.closest(to: typed, among: known) : nil)
            }
            if option.kind == .flag {
                if inlineValue != nil {
                    throw UsageError("flag '\(option.spelling)' takes no value")
                }
                flags.insert(option.name)
                continue
            }
            guard let value = inlineValue ?? iterator.next() else {
                throw UsageError("option '\(option.spelling)' needs a value")
            }
            try option.check(value)
            values[option.name, default: []].append(value)
        }
    }

    public var wantsHelp: Bool { flags.contains(Option.help.name) }

    public func flag(_ option: Option) -> Bool { flags.contains(option.name) }

    /// Whether the option was given at all (a flag, or a value, even an empty one).
    public func isGiven(_ option: Option) -> Bool { flag(option) || values[option.name] != nil }

    /// The last value given for an option (a repeated option overrides, as in most tools).
    public func value(_ option: Option) -> String? { values[option.name]?.last }

    /// Every value given for a repeatable option, in order.
    public func allValues(_ option: Option) -> [String] { values[option.name] ?? [] }

    /// The option's value as an integer, or a usage error naming the option.
    public func integer<T: FixedWidthInteger>(_ option: Option, as type: T.Type = T.self) throws(UsageError) -> T? {
        guard let text = value(option) else { return nil }
        guard let number = T(text) else {
            throw UsageError("option '\(option.spelling)' needs a whole number, got '\(text)'")
        }
        return number
    }

    /// The option's value as an integer within `range`, or a usage error naming the option and the range.
    public func integer<T: FixedWidthInteger>(_ option: Option, in range: ClosedRange<T>) throws(UsageError) -> T? {
        guard let text = value(option) else { return nil }
        guard let number = T(text), range.contains(number) else {
            throw UsageError("option '\(option.spelling)' needs a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return number
    }

    /// A number written in decimal (`250`, `0.5`, `1e3`, `-2`), as `Double(_:)` reads it; nil for
    /// what `Double(_:)` would also take but nobody means on a command line: hexadecimal (`0x10`
    /// was 16, redteam26), `nan`, `inf`, white space.
    public static func decimal(_ text: String) -> Double? {
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || "+-.eE".utf8.contains($0) }) else {
            return nil
        }
        return Double(text)
    }

    /// `--name=value` as the name and the value; anything else as itself and no value.
    public static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func isNegativeNumber(_ argument: String) -> Bool {
        argument.count > 1 && argument.dropFirst().allSatisfy(\.isNumber)
    }
}
