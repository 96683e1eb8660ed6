/// Why a typed VAT number or business id was refused.
///
/// Each case's `description` is the human reason, precise enough to show to the
/// person who typed the number (the server sends it as the message of an
/// INVALID_ARGUMENT status on the field `vatNumber`).
public enum VATNumberError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing but separators was typed.
    case empty
    /// The customer's country is not a two-letter ISO 3166 code.
    case invalidCountry(String)
    /// Neither a country for the customer nor a two-letter prefix on the number: no rule can be chosen.
    case countryMissing
    /// The number carries a two-letter prefix of another country than the customer's.
    case countryMismatch(prefix: String, country: String)
    /// A character that has no place in this country's number (a letter among digits, a symbol).
    case unexpectedCharacter(country: String, character: Character)
    /// The number has the wrong count of digits.
    case wrongLength(country: String, expected: Int, got: Int)
    /// The digits are well-formed in count but break a structural rule (a fixed suffix, a first digit).
    case wrongFormat(country: String, reason: String)
    /// The check digit(s) typed differ from the ones the country's rule computes.
    case checkDigitMismatch(country: String, found: String, expected: String)
    /// The country's rule yields no valid check digit for these leading digits,
    /// so no number starting with them exists (e.g. Finland's remainder 1).
    case noValidCheckDigit(country: String, digits: String)
    /// The number's digits (before any check value) are all zeros: a placeholder, not a number
    /// anyone was given, even where the check digit rule passes on it.
    case allZeros(country: String)
    /// A rule without a single expected digit failed (the Dutch number passes neither of its two checks).
    case checksumFailed(country: String, reason: String)

    public var description: String {
        switch self {
        case .empty:
            return "the VAT number is empty"
        case .invalidCountry(let country):
            return "country \"\(country)\" is not a two-letter ISO 3166 code"
        case .countryMissing:
            return "the VAT number has no country: give the customer's country, or start the number with "
                + "its country prefix (e.g. FI 0112038-9)"
        case .countryMismatch(let prefix, let country):
            return "the prefix \(prefix) does not belong to the customer's country \(country)"
        case .unexpectedCharacter(let country, let character):
            return "\(Self.adjective(country)) VAT numbers cannot contain \(Self.shown(character)) "
                + "(\(VATNumber.ignoredSeparators))"
        case .wrongLength(let country, let expected, let got):
            return "\(Self.adjective(country)) VAT numbers have \(expected) digits, got \(got)"
        case .wrongFormat(let country, let reason):
            return "\(Self.adjective(country)) VAT numbers \(reason)"
        case .checkDigitMismatch(let country, let found, let expected):
            let noun = expected.count == 1 ? "check digit" : "check digits"
            let verb = expected.count == 1 ? "does" : "do"
            return "\(Self.adjective(country)) \(noun) \(found) \(verb) not match the expected \(expected)"
        case .noValidCheckDigit(let country, let digits):
            return "no valid \(Self.adjective(country)) number starts with \(digits): the check digit rule has no solution"
        case .allZeros(let country):
            return "\(Self.adjective(country)) VAT numbers are never all zeros: that is a placeholder, not a "
                + "number anyone was given (leave the field empty instead)"
        case .checksumFailed(let country, let reason):
            return "\(Self.adjective(country)) VAT number \(reason)"
        }
    }

    /// The character quoted, with its code points when it is not plain ASCII (`"–" (U+2013)`), so
    /// a look-alike pasted from a document is recognisable. One character can be any number of
    /// code points (a letter and thousands of combining marks; the server refuses a customer's
    /// VAT number past 1 024 code points before parsing it, the parser itself has no bound): past
    /// ``maxShownCodePoints`` only the first are named, with the count,
    /// and the character itself is left out, as it is when it holds a control character (an
    /// escape sequence is not echoed to a terminal).
    static func shown(_ character: Character) -> String {
        let scalars = character.unicodeScalars
        let printable = !scalars.contains { $0.properties.generalCategory == .control }
        guard !(character.isASCII && !character.isWhitespace && printable) else { return "\"\(character)\"" }
        let points = scalars.prefix(maxShownCodePoints).map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        let count = scalars.count
        guard count <= maxShownCodePoints, printable else {
            let more = count > maxShownCodePoints ? " … (\(count) code points)" : ""
            return "the character \(points.joined(separator: " "))\(more)"
        }
        return "\"\(character)\" (\(points.joined(separator: " ")))"
    }

    /// The most code points of one character a refusal names.
    static let maxShownCodePoints = 8

    /// The English adjective for the checked countries, the code otherwise.
    static func adjective(_ country: String) -> String {
        CountryRule.rule(for: country)?.adjective ?? country
    }
}
