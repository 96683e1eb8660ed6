/// A mistake in how a command was called: printed as `Error: …`, the usage line and a hint.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var suggestion: String?

    public init(_ message: String, suggestion: String? = nil) {
        self.message = message
        self.suggestion = suggestion
    }

    public var description: String {
        description(escaping: { $0 })
    }

    /// The description with the message and the suggestion each passed through `escape` before
    /// they are joined (customerctl and customerd pass `TerminalText.escaped`): both quote what the
    /// operator typed, and a typed ESC, CR or line break must reach the terminal as a visible
    /// escape; the line break before the suggestion is the program's own and stays (redteam30).
    public func description(escaping escape: (String) -> String) -> String {
        if let suggestion {
            return "\(escape(message))\nDid you mean '\(escape(suggestion))'?"
        }
        return escape(message)
    }

    /// `error`'s description for a usage message, escaped as `description(escaping:)` does: a
    /// `UsageError` part by part, any other error whole.
    public static func description(of error: any Error, escaping escape: (String) -> String) -> String {
        guard let usage = error as? UsageError else { return escape("\(error)") }
        return usage.description(escaping: escape)
    }
}
