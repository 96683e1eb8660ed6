import Foundation

/// Exact decimals (money, hours) as the store keeps them: TEXT in the database, `Decimal` in Swift.
///
/// Never `Double`: 0.1 + 0.2 must be 0.3. SQLite would turn the text into REAL in `sum()`, so sums are
/// made in Swift with `Decimal`, whose 38-digit mantissa holds any sum of these values exactly.
enum DecimalText {
    /// At most this many digits after the point ("12500.00" has 2; 4 allow unit prices and hours).
    static let maxFractionDigits = 4
    /// Values stay below 10^15 in magnitude, so any realistic sum stays exact in a `Decimal`.
    static let limit = Decimal(sign: .plus, exponent: 15, significand: 1)

    /// POSIX: the decimal separator is always ".", whatever the process's locale.
    private static let posix = Locale(identifier: "en_US_POSIX")

    /// The stored text of a value: plain digits with "." (`Decimal.description` is locale-free).
    static func text(_ value: Decimal) -> String {
        value.description
    }

    /// The value of stored text. The store wrote it with `text(_:)`, so it always parses; nil for
    /// text something else wrote badly.
    static func value(_ text: String) -> Decimal? {
        Decimal(string: text, locale: posix)
    }

    /// The value of an optional stored column.
    static func value(_ text: String?) -> Decimal? {
        text.flatMap(value)
    }

    /// Why a value is refused, or nil: not a number, more than `maxFractionDigits` decimals, not
    /// below `limit` in magnitude, or negative when `allowNegative` is false.
    static func violation(_ value: Decimal, field: String, allowNegative: Bool = false) -> FieldViolation? {
        var rounded = Decimal()
        var exact = value
        NSDecimalRound(&rounded, &exact, maxFractionDigits, .plain)
        let reason: String? = if value.isNaN {
            "must be a number"
        } else if rounded != value {
            "must have at most \(maxFractionDigits) digits after the decimal point"
        } else if !allowNegative, value < 0 {
            "must not be negative"
        } else if abs(value) >= limit {
            "must be less than 10^15 in magnitude"
        } else {
            nil
        }
        return reason.map { FieldViolation(field: field, reason: $0) }
    }
}
