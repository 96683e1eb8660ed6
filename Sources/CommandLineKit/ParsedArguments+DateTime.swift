import Foundation

extension ParsedArguments {
    /// The option's value as a moment (`DateTimeText`; without a zone, in `localZone`, by default
    /// ``LocalTimeZone``, which follows `TZ`), or a usage error naming the option (or `TZ`).
    public func dateTime(_ option: Option, localZone: TimeZone? = nil) throws(UsageError) -> Date? {
        guard let text = value(option) else { return nil }
        let zone = if let localZone { localZone } else { try DateTimeText.localZone(for: text) }
        guard let date = DateTimeText.date(text, localZone: zone) else {
            throw UsageError("option '\(option.spelling)' needs \(DateTimeText.expected), got '\(text)'")
        }
        return date
    }
}
