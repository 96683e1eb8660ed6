/// A mistake in how a command was called: printed as `Error: …`, the usage line and a hint.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var suggestion: String?

    public init(_ message: String, suggestion: String? = nil) {
        self.message = message
        self.suggestion = suggestion
    }

    public var description: String {
        if let suggestion {
            return "\(message)\nDid you mean '\(suggestion)'?"
        }
        return message
    }
}
