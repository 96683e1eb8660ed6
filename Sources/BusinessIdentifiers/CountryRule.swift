/// The format and check digit rule of one country whose VAT numbers are checked.
///
/// The VAT prefix of every supported country equals its ISO 3166 code (Greece's `EL`
/// is the EU exception, and Greece is not checked here).
struct CountryRule: Sendable {
    /// What a country rule makes of a valid body.
    struct Parsed: Sendable, Equatable {
        var canonical: String
        var businessID: String?
    }

    let country: String
    let adjective: String
    /// Validates the body (the country prefix already removed) and returns its canonical forms.
    let parseBody: @Sendable (String) throws(VATNumberError) -> Parsed

    /// The rule of a checked country, or `nil` for a country whose numbers are only normalised.
    static func rule(for country: String) -> CountryRule? {
        all.first { $0.country == country }
    }

    /// Every checked country.
    static let all: [CountryRule] = [finland, norway, sweden, denmark, estonia, netherlands, germany, belgium]

    /// The digit values of `body`, refusing anything but ASCII digits and any count but `count`.
    static func digits(_ body: some StringProtocol, country: String, count: Int) throws(VATNumberError) -> [Int] {
        var digits: [Int] = []
        for character in body {
            guard character.isASCII, let digit = character.wholeNumberValue else {
                throw .unexpectedCharacter(country: country, character: character)
            }
            digits.append(digit)
        }
        guard digits.count == count else {
            throw .wrongLength(country: country, expected: count, got: digits.count)
        }
        return digits
    }

    /// Compares a typed check value with the one the rule computes over `leading`, after refusing
    /// leading digits that are all zeros (see ``refuseAllZeros(country:_:)``).
    static func verify(country: String, leading: [Int], found: [Int], expected: [Int]?) throws(VATNumberError) {
        try refuseAllZeros(country: country, leading)
        guard let expected else {
            throw .noValidCheckDigit(country: country, digits: leading.map(String.init).joined())
        }
        guard found == expected else {
            throw .checkDigitMismatch(country: country,
                                      found: found.map(String.init).joined(),
                                      expected: expected.map(String.init).joined())
        }
    }

    /// The single check digit `digits.last`, verified against `expected(digits.dropLast())`.
    static func verifyLastDigit(country: String, _ digits: [Int], expected: ([Int]) -> Int?) throws(VATNumberError) {
        let leading = Array(digits.dropLast())
        try verify(country: country, leading: leading, found: [digits[digits.count - 1]],
                   expected: expected(leading).map { [$0] })
    }

    /// Refuses a number whose digits before the check value are all zeros. Most check digit rules
    /// give such a number a check value of zeros that "passes" (FI 0000000-0, NO 000000000), but no
    /// registry issues it: it is a placeholder typed to get past a required field, and keeping it
    /// would make every such customer a duplicate of the others and send it to a registry.
    /// Checked before the check value, so the refusal does not suggest a digit to type instead.
    static func refuseAllZeros(country: String, _ leading: [Int]) throws(VATNumberError) {
        guard leading.contains(where: { $0 != 0 }) else { throw .allZeros(country: country) }
    }
}
