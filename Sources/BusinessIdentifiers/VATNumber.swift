import Foundation

/// A VAT number in its one canonical form, with the national business id registries are queried by.
///
/// Build it with ``parse(_:country:)``; for the checked countries (FI, NO, SE, DK, EE, NL, DE, BE)
/// a value exists only when the format and the check digits are right.
public struct VATNumber: Sendable, Hashable, CustomStringConvertible {
    /// The customer's country, an upper-case ISO 3166 alpha-2 code.
    public let country: String
    /// The VAT form with the country prefix: `FI01120389`, `NO923609016MVA`, `SE556012579001`,
    /// `DK13585628`, `EE100931558`, `NL004495445B01`, `DE136695976`, `BE0403019261`.
    /// For an unchecked country: the input upper-cased without spaces, dashes or dots.
    public let canonical: String
    /// The national business id: Finland's Y-tunnus `0112038-9`, Norway's organisasjonsnummer
    /// `923609016`, Sweden's organisationsnummer `556012-5790`, Denmark's CVR `13585628`,
    /// Belgium's enterprise number `0403.019.261`; `nil` elsewhere.
    public let businessID: String?
    /// Whether the country's format and check digit rule was applied (`false`: normalised only).
    public let isChecked: Bool
    /// A Norwegian organisation number typed bare (no `NO`, no `MVA`): it names the company but
    /// says nothing about VAT registration, so it is a business id rather than a VAT number
    /// (only the registry's `registrertIMvaregisteret` can confirm the `MVA`).
    public let isBareOrganisationNumber: Bool

    /// The canonical form.
    public var description: String { canonical }

    /// The countries whose numbers are checked, in upper case.
    public static var checkedCountries: [String] { CountryRule.all.map(\.country) }
}

extension VATNumber {
    /// Validates and normalises what a person typed as the VAT number of a customer in `country`.
    ///
    /// Accepts what pasting brings along: Unicode compatibility forms (full-width digits and
    /// letters), every kind of space (no-break, thin), dashes of every width, dots and invisible
    /// format characters (soft hyphen, zero-width space) anywhere; lower case; the number with or
    /// without its country prefix, Norway's `MVA` suffix and a Finnish Y-tunnus with its dash.
    /// Without `country`, the number's own two-letter prefix names the country (`FI 0250345-3`).
    /// - Throws: ``VATNumberError`` naming the precise reason: no country at all, a prefix of
    ///   another country, a foreign character, a wrong length or format, digits that are all
    ///   zeros, a wrong check digit.
    public static func parse(_ raw: String, country: String?) throws(VATNumberError) -> VATNumber {
        let cleaned = normalise(raw)
        guard !cleaned.isEmpty else { throw .empty }
        let prefix = cleaned.prefix(2)
        let hasPrefix = prefix.count == 2 && prefix.allSatisfy { $0.isASCII && $0.isLetter }
        let code: String
        if let country {
            code = country.filter { !$0.isWhitespace }.uppercased()
            guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw .invalidCountry(country)
            }
        } else if hasPrefix {
            code = String(prefix)
        } else {
            throw .countryMissing
        }

        guard let rule = CountryRule.rule(for: code) else {
            return try unchecked(cleaned, country: code)
        }
        var body = Substring(cleaned)
        if hasPrefix {
            guard prefix == code else {
                throw .countryMismatch(prefix: String(prefix), country: code)
            }
            body = body.dropFirst(2)
        }
        let parsed = try rule.parseBody(String(body))
        return VATNumber(country: code, canonical: parsed.canonical, businessID: parsed.businessID, isChecked: true,
                         isBareOrganisationNumber: code == "NO" && !hasPrefix && !body.hasSuffix("MVA"))
    }

    /// Upper case after Unicode compatibility folding (NFKC: `０１` becomes `01`, a no-break space
    /// a space), without what ``ignoredSeparators`` describes. The store's `IdentifierText` is its
    /// twin (the store does not import this module): both ignore the same characters.
    static func normalise(_ raw: String) -> String {
        raw.precomposedStringWithCompatibilityMapping
            .filter { character in
                !character.isWhitespace && !separators.contains(character)
                    && !character.unicodeScalars.allSatisfy { invisible.contains($0.value) }
            }
            .uppercased()
    }

    /// What ``normalise(_:)`` drops, in the words every refusal repeats so it never claims more.
    public static let ignoredSeparators = "spaces, dashes, dots and invisible formatting characters are ignored"

    /// The ASCII hyphen, the Unicode hyphens and dashes (U+2010 to U+2015), the minus sign and the dot.
    private static let separators: Set<Character> = [
        "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", ".",
    ]

    /// Soft hyphen, zero-width space and joiners, word joiner and byte order mark: invisible in
    /// the text they were copied from, so nobody typed them on purpose.
    private static let invisible: Set<UInt32> = [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]

    /// A number of a country without a rule here: kept as typed (normalised), refusing only
    /// symbols no VAT number uses, a prefix of a checked country that contradicts `country` and a
    /// number of nothing but zeros.
    private static func unchecked(_ cleaned: String, country: String) throws(VATNumberError) -> VATNumber {
        // Irish numbers of the old format use "+" and "*"; every other EU format is letters and digits.
        if let bad = cleaned.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber)) && $0 != "+" && $0 != "*" }) {
            throw .unexpectedCharacter(country: country, character: bad)
        }
        let prefix = String(cleaned.prefix(2))
        if prefix != country, CountryRule.rule(for: prefix) != nil {
            throw .countryMismatch(prefix: prefix, country: country)
        }
        // No rule to check here, but nowhere is a number of nothing but zeros issued.
        let body = prefix == country ? cleaned.dropFirst(2) : Substring(cleaned)
        if !body.isEmpty, body.allSatisfy({ $0 == "0" }) { throw .allZeros(country: country) }
        return VATNumber(country: country, canonical: cleaned, businessID: nil, isChecked: false,
                         isBareOrganisationNumber: false)
    }
}
