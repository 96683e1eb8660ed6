import CommandLineKit

/// `--slow-call-threshold MS`: when a call is slow enough to be logged.
enum SlowCallOption {
    /// nil (log none) for 0, else the threshold; fractions of a millisecond are kept to the microsecond.
    /// - Throws: `UsageError` naming the option when `text` is not a number of milliseconds from 0
    ///   to 86 400 000 (a day).
    static func threshold(_ text: String) throws(UsageError) -> Duration? {
        guard let milliseconds = ParsedArguments.decimal(text), milliseconds.isFinite, (0...86_400_000).contains(milliseconds) else {
            throw UsageError("--slow-call-threshold needs a number of milliseconds from 0 to 86400000, got '\(text)'")
        }
        let microseconds = Int64((milliseconds * 1000).rounded())
        return microseconds == 0 ? nil : .microseconds(microseconds)
    }
}
