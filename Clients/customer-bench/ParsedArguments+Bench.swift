import CommandLineKit

extension ParsedArguments {
    /// The option's value as a count within `range` (`20_000` as written in Swift is accepted),
    /// or a usage error naming the option and the range.
    func count(_ option: Option, in range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = value(option) else { return nil }
        guard let number = Int(text.replacingOccurrences(of: "_", with: "")), range.contains(number) else {
            throw UsageError("'\(option.spelling)' needs a number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return number
    }

    /// The option's value as seconds, at most an hour.
    func seconds(_ option: Option, allowZero: Bool) throws(UsageError) -> Double? {
        guard let text = value(option) else { return nil }
        guard let seconds = Double(text), allowZero ? seconds >= 0 : seconds > 0, seconds <= 3600 else {
            throw UsageError("'\(option.spelling)' needs a \(allowZero ? "non-negative" : "positive") number of seconds, not '\(text)'")
        }
        return seconds
    }
}
