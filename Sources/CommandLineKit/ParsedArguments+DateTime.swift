import Foundation

extension ParsedArguments {
    /// The option's value as a moment (`DateTimeText`; without a zone, in `localZone`, which
    /// follows `TZ`), or a usage error naming the option.
    public func dateTime(_ option: Option, localZone: TimeZone = .current) throws(UsageError) -> Date? {
        guard let text = value(option) else { return nil }
        guard let date = DateTimeText.date(text, localZone: localZone) else {
            throw UsageError("option '\(option.spelling)' needs \(DateTimeText.expected), got '\(text)'")
        }
        return date
    }
}
