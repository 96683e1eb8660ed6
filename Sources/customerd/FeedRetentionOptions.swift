import CommandLineKit

/// `--feed-retention-days N` and `--feed-retention-count N`: how far back WatchChanges serves.
enum FeedRetentionOptions {
    /// The days the option gives; nil without it.
    /// - Throws: `UsageError` naming the option when the value is not a whole number from 1 to 36 500.
    static func days(_ text: String?) throws(UsageError) -> Int? {
        guard let text else { return nil }
        return Int(try whole(text, option: "--feed-retention-days", upTo: 36_500))
    }

    /// The sequence numbers the option gives; nil without it.
    /// - Throws: `UsageError` naming the option when the value is not a whole number from 1 to 10^12.
    static func count(_ text: String?) throws(UsageError) -> Int64? {
        guard let text else { return nil }
        return try whole(text, option: "--feed-retention-count", upTo: 1_000_000_000_000)
    }

    private static func whole(_ text: String, option: String, upTo limit: Int64) throws(UsageError) -> Int64 {
        guard let value = Int64(text), (1...limit).contains(value) else {
            throw UsageError("\(option) needs a whole number from 1 to \(limit), got '\(text)'")
        }
        return value
    }
}
