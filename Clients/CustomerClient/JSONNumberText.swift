import BinaryCoding
import Foundation

/// The value a JSON number's text spells, read from its digits: a whole number as `.integer` (or
/// `.unsigned` past `Int64.max`), any other as an exact `.decimal`, so `1e3`, `1000.0` and `1000`
/// are the same whole number and `1234.50` is 1234.5; nil when no kind holds it exactly (more
/// than 38 significant digits, `1e-400`, `1e400`). The text is known to follow JSON's grammar
/// (`JSONTextReader` checked it).
struct JSONNumberText {
    /// Longer plain text than any `Decimal` can hold is refused before it is written out, so an
    /// exponent of a million costs no megabyte of zeros.
    private static let longestPlainText = 200

    let text: String

    init(_ text: String) {
        self.text = text
    }

    var value: DynamicValue? {
        var utf8 = Substring(text).utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        let mantissa = utf8.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        let exponentText = utf8.dropFirst(mantissa.count + 1)
        let whole = mantissa.prefix { $0 != UInt8(ascii: ".") }
        let fraction = mantissa.dropFirst(whole.count + 1)
        // value = digits × 10^scale, digits without leading or trailing zeros.
        var digits = Array(whole) + Array(fraction)
        guard let firstSignificant = digits.firstIndex(where: { $0 != UInt8(ascii: "0") }) else { return .integer(0) }
        digits.removeFirst(firstSignificant)
        var trailingZeros = 0
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            trailingZeros += 1
        }
        guard let exponent = Self.exponent(exponentText) else { return nil }
        let scale = exponent - fraction.count + trailingZeros
        guard abs(scale) <= Self.longestPlainText, digits.count + max(scale, 0) <= Self.longestPlainText else { return nil }
        let sign = negative ? "-" : ""
        if scale >= 0 {
            let plain = String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: scale)
            if let number = Int64(sign + plain) { return .integer(number) }
            if !negative, let number = UInt64(plain) { return .unsigned(number) }
            return Decimal(exactText: sign + plain).map { .decimal($0) }
        }
        let point = digits.count + scale
        let plain = point > 0
            ? String(decoding: digits[..<point], as: UTF8.self) + "." + String(decoding: digits[point...], as: UTF8.self)
            : "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
        return Decimal(exactText: sign + plain).map { .decimal($0) }
    }

    /// The exponent's value; nil past ±1 000 000 (no kind holds such a number unless it is zero,
    /// which `value` answered before asking).
    private static func exponent(_ text: Substring.UTF8View.SubSequence) -> Int? {
        guard !text.isEmpty else { return 0 }
        let negative = text.first == UInt8(ascii: "-")
        let digits = text.drop { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }.drop { $0 == UInt8(ascii: "0") }
        guard digits.count <= 6 else { return nil }
        let magnitude = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return negative ? -magnitude : magnitude
    }
}
