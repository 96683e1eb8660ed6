import Foundation

/// The instants a caller may give the store: 0001-01-01T00:00:00Z through 9999-12-31T23:59:59.999Z.
///
/// A `Date` off the wire is any binary64, NaN and infinities included, and the store keeps whole
/// milliseconds since 1970 in an `Int64`: converting 1e300 seconds traps. The range is the one of
/// four-digit ISO 8601 years (what SQLite's date functions and every client can print), far inside
/// `Int64` milliseconds, so a value inside it always converts exactly.
public enum TimestampRange {
    /// 0001-01-01T00:00:00Z.
    public static let earliest = Date(timeIntervalSince1970: -62_135_596_800)
    /// 9999-12-31T23:59:59.999Z.
    public static let latest = Date(timeIntervalSince1970: 253_402_300_799.999)

    /// Why `date` is refused for `field`, or nil when it is inside the range (NaN never is).
    public static func violation(_ date: Date, field: String) -> FieldViolation? {
        // Compared as Doubles: `Date`'s `>=` is `!(<)`, which holds for NaN.
        let seconds = date.timeIntervalSinceReferenceDate
        return seconds >= earliest.timeIntervalSinceReferenceDate && seconds <= latest.timeIntervalSinceReferenceDate
            ? nil
            : FieldViolation(field: field, reason: "must be a date-time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z")
    }

    /// `date` in stored milliseconds, or `invalidArgument` naming `field` when it is out of range.
    static func milliseconds(_ date: Date, field: String) throws(StoreError) -> Int64 {
        if let violation = violation(date, field: field) { throw .invalidArgument([violation]) }
        return date.milliseconds
    }
}
