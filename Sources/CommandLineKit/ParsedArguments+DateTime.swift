import Foundation

extension ParsedArguments {
    /// The option's value as a moment (`DateTimeText`; without a zone, in `localZone`, which
    /// follows `TZ`), or a usage error naming the option.
    public func dateTime(_ name: String, localZone: TimeZone = .current) throws(UsageError) -> Date? {
        guard let text = value(name) else { return nil }
        guard let date = DateTimeText.date(text, localZone: localZone) else {
            throw UsageError("option '--\(name)' needs \(DateTimeText.expected), got '\(text)'")
        }
        return date
    }
}
