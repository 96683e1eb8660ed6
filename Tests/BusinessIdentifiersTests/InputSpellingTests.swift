import Testing
import BusinessIdentifiers

/// What people type: every accepted spelling gives the one canonical form, and every
/// refusal names its reason exactly as the server will show it.
struct InputSpellingTests {
    static let spellings: [(country: String, canonical: String, raws: [String])] = [
        ("FI", "FI01120389", ["0112038-9", "FI01120389", "fi 0112 0389", "FI-0112038-9", "01120389",
                              " 0112038.9 ", "fi0112038-9", "0112038\u{2013}9"]),
        ("NO", "NO923609016MVA", ["923609016", "923 609 016", "NO923609016MVA", "no 923 609 016 mva",
                                  "923609016MVA", "NO923609016", "923.609.016", "NO 923609016 MVA"]),
        ("SE", "SE556012579001", ["SE556012579001", "556012-5790", "se 5560 1257 9001", "5560125790",
                                  "556012579001", "SE 556012-5790"]),
        ("DK", "DK13585628", ["DK 13 58 56 28", "13585628", "dk13585628", "DK-13585628"]),
        ("EE", "EE100931558", ["EE 100 931 558", "100931558", "ee100931558"]),
        ("NL", "NL004495445B01", ["NL004495445B01", "nl 0044.95.445 b01", "004495445B01", "NL004495445.B.01",
                                  "NL04495445B01", "4495445B01", "nl 4495445 b01"]),
        ("DE", "DE136695976", ["DE 136 695 976", "de136695976", "136695976", "DE-136.695.976"]),
        ("BE", "BE0403019261", ["BE 0403.019.261", "BE403019261", "0403-019-261", "be0403019261", "403019261"]),
    ]

    @Test("every accepted spelling normalises to the canonical form", arguments: spellings.indices)
    func spelling(index: Int) throws {
        let (country, canonical, raws) = Self.spellings[index]
        for raw in raws {
            let vat = try VATNumber.parse(raw, country: country)
            #expect(vat.canonical == canonical, "\(raw)")
            #expect(vat.isChecked)
        }
    }

    @Test("the customer's country may be typed in lower case")
    func lowerCaseCountry() throws {
        let vat = try VATNumber.parse("fi01120389", country: "fi")
        #expect(vat.country == "FI")
        #expect(vat.businessID == "0112038-9")
    }

    static let refusals: [(raw: String, country: String, error: VATNumberError, reason: String)] = [
        ("FI0112038", "FI", .wrongLength(country: "FI", expected: 8, got: 7),
         "Finnish VAT numbers have 8 digits, got 7"),
        ("0112038-8", "FI", .checkDigitMismatch(country: "FI", found: "8", expected: "9"),
         "Finnish check digit 8 does not match the expected 9"),
        // 0000030: weighted sum 12, remainder 1, which Finland never issues.
        ("0000030-5", "FI", .noValidCheckDigit(country: "FI", digits: "0000030"),
         "no valid Finnish number starts with 0000030: the check digit rule has no solution"),
        ("SE556012579001", "FI", .countryMismatch(prefix: "SE", country: "FI"),
         "the prefix SE does not belong to the customer's country FI"),
        ("0112O38-9", "FI", .unexpectedCharacter(country: "FI", character: "O"),
         "Finnish VAT numbers cannot contain \"O\" (spaces, dashes, dots and invisible formatting characters are ignored)"),
        ("923609017", "NO", .checkDigitMismatch(country: "NO", found: "7", expected: "6"),
         "Norwegian check digit 7 does not match the expected 6"),
        ("92360901", "NO", .wrongLength(country: "NO", expected: 9, got: 8),
         "Norwegian VAT numbers have 9 digits, got 8"),
        // 00000040: weighted sum 12, check 11 - 1 = 10, which Norway never issues.
        ("000000400", "NO", .noValidCheckDigit(country: "NO", digits: "00000040"),
         "no valid Norwegian number starts with 00000040: the check digit rule has no solution"),
        ("923609016VAT", "NO", .unexpectedCharacter(country: "NO", character: "V"),
         "Norwegian VAT numbers cannot contain \"V\" (spaces, dashes, dots and invisible formatting characters are ignored)"),
        ("FI923609016MVA", "NO", .countryMismatch(prefix: "FI", country: "NO"),
         "the prefix FI does not belong to the customer's country NO"),
        ("556012579002", "SE", .wrongFormat(country: "SE", reason: "end in 01, got 02"),
         "Swedish VAT numbers end in 01, got 02"),
        ("556012579101", "SE", .checkDigitMismatch(country: "SE", found: "1", expected: "0"),
         "Swedish check digit 1 does not match the expected 0"),
        ("55601257900", "SE", .wrongLength(country: "SE", expected: 12, got: 11),
         "Swedish VAT numbers have 12 digits, got 11"),
        ("03585628", "DK", .wrongFormat(country: "DK", reason: "do not start with 0"),
         "Danish VAT numbers do not start with 0"),
        ("1358562", "DK", .wrongLength(country: "DK", expected: 8, got: 7),
         "Danish VAT numbers have 8 digits, got 7"),
        ("10093155", "EE", .wrongLength(country: "EE", expected: 9, got: 8),
         "Estonian VAT numbers have 9 digits, got 8"),
        ("NL004495445", "NL",
         .wrongFormat(country: "NL", reason: "have the form NL123456789B01: 9 digits, the letter B, 2 digits"),
         "Dutch VAT numbers have the form NL123456789B01: 9 digits, the letter B, 2 digits"),
        ("004495445B00", "NL", .wrongFormat(country: "NL", reason: "never end in B00"),
         "Dutch VAT numbers never end in B00"),
        ("495445B01", "NL", .wrongLength(country: "NL", expected: 9, got: 6),
         "Dutch VAT numbers have 9 digits, got 6"),
        ("004495445B1", "NL", .wrongFormat(country: "NL", reason: "end in B and 2 digits, got B1"),
         "Dutch VAT numbers end in B and 2 digits, got B1"),
        ("036695976", "DE", .wrongFormat(country: "DE", reason: "do not start with 0"),
         "German VAT numbers do not start with 0"),
        ("DE13669597X", "DE", .unexpectedCharacter(country: "DE", character: "X"),
         "German VAT numbers cannot contain \"X\" (spaces, dashes, dots and invisible formatting characters are ignored)"),
        ("2403019261", "BE", .wrongFormat(country: "BE", reason: "start with 0 or 1, got 2"),
         "Belgian VAT numbers start with 0 or 1, got 2"),
        ("04030192610", "BE", .wrongLength(country: "BE", expected: 10, got: 11),
         "Belgian VAT numbers have 10 digits, got 11"),
        ("", "FI", .empty, "the VAT number is empty"),
        (" - . ", "NO", .empty, "the VAT number is empty"),
        ("FI01120389", "FIN", .invalidCountry("FIN"), "country \"FIN\" is not a two-letter ISO 3166 code"),
        ("FI01120389", "GB", .countryMismatch(prefix: "FI", country: "GB"),
         "the prefix FI does not belong to the customer's country GB"),
        ("GB12@3", "GB", .unexpectedCharacter(country: "GB", character: "@"),
         "GB VAT numbers cannot contain \"@\" (spaces, dashes, dots and invisible formatting characters are ignored)"),
    ]

    /// Numbers as they arrive from PDFs, web pages and spreadsheets.
    static let pasted: [(raw: String, country: String, canonical: String)] = [
        ("0112038\u{2011}9", "FI", "FI01120389"),                       // non-breaking hyphen
        ("0112038\u{2014}9", "FI", "FI01120389"),                       // em dash
        ("FI\u{00A0}0112\u{00A0}0389", "FI", "FI01120389"),             // no-break spaces
        ("923\u{2009}609\u{2009}016", "NO", "NO923609016MVA"),          // thin spaces
        ("923\u{202F}609\u{202F}016\u{00A0}MVA", "NO", "NO923609016MVA"), // narrow no-break space
        ("\u{FF10}\u{FF11}\u{FF11}\u{FF12}\u{FF10}\u{FF13}\u{FF18}-\u{FF19}", "FI", "FI01120389"), // full-width
        ("\u{FF26}\u{FF29}01120389", "FI", "FI01120389"),                // full-width letters
        ("0112038\u{00AD}9\u{200B}", "FI", "FI01120389"),               // soft hyphen, zero-width space
        ("BE\u{2007}0403\u{2012}019\u{2012}261", "BE", "BE0403019261"), // figure space, figure dash
    ]

    @Test("pasted separators and compatibility forms are folded before the check", arguments: pasted.indices)
    func pastedSpelling(index: Int) throws {
        let (raw, country, canonical) = Self.pasted[index]
        #expect(try VATNumber.parse(raw, country: country).canonical == canonical)
    }

    @Test("a character that is not ignored is named, with its code point when it is not ASCII")
    func honestRefusal() {
        #expect(throws: VATNumberError.unexpectedCharacter(country: "FI", character: "/")) {
            try VATNumber.parse("0112038/9", country: "FI")
        }
        let multiplication = VATNumberError.unexpectedCharacter(country: "FI", character: "\u{00D7}")
        #expect(multiplication.description == "Finnish VAT numbers cannot contain \"\u{00D7}\" (U+00D7) \(Self.ignored)")
    }

    /// One character may be a letter and any number of combining marks: the refusal names its
    /// first code points and their count, not the whole character (70 001 code points made a
    /// ~490 000-byte reason before; the number is read upper-cased, so the x is an X); a control
    /// character is named by its code point only.
    @Test func aCharacterOfManyCodePointsOrAControlOneIsNamedBoundedAndEscaped() throws {
        let marks = "x" + String(repeating: "\u{0301}", count: 70_000)
        #expect(marks.count == 1)
        let error = try #require(throws: VATNumberError.self) { try VATNumber.parse("0112038" + marks, country: "FI") }
        #expect(error.description == "Finnish VAT numbers cannot contain the character U+0058 U+0301 U+0301 U+0301 U+0301 "
                    + "U+0301 U+0301 U+0301 … (70001 code points) \(Self.ignored)")
        let escape = VATNumberError.unexpectedCharacter(country: "FI", character: "\u{1B}")
        #expect(escape.description == "Finnish VAT numbers cannot contain the character U+001B \(Self.ignored)")
    }

    static let ignored = "(spaces, dashes, dots and invisible formatting characters are ignored)"

    @Test("without a country the number's prefix chooses the rule",
          arguments: [("FI 20774740", "FI", "FI20774740"), ("fi 0250345-3", "FI", "FI02503453"),
                      ("no 923 609 016 mva", "NO", "NO923609016MVA"), ("NL4495445B01", "NL", "NL004495445B01"),
                      ("ATU 1234 5678", "AT", "ATU12345678")])
    func prefixWithoutCountry(raw: String, country: String, canonical: String) throws {
        let vat = try VATNumber.parse(raw, country: nil)
        #expect(vat.country == country)
        #expect(vat.canonical == canonical)
    }

    @Test("without a country a prefix is still checked by its rule")
    func prefixRuleApplies() {
        // 2077474: weighted sum 187, remainder 0, so the check digit is 0.
        #expect(throws: VATNumberError.checkDigitMismatch(country: "FI", found: "1", expected: "0")) {
            try VATNumber.parse("FI 20774741", country: nil)
        }
    }

    @Test("without a country or a prefix the number is refused, asking for either")
    func neitherCountryNorPrefix() {
        #expect(throws: VATNumberError.countryMissing) { try VATNumber.parse("0112038-9", country: nil) }
        #expect(VATNumberError.countryMissing.description
            == "the VAT number has no country: give the customer's country, or start the number with "
            + "its country prefix (e.g. FI 0112038-9)")
    }

    @Test("a bare Norwegian organisation number is told apart from the VAT form",
          arguments: [("923609016", true), ("923 609 016", true), ("NO923609016", false), ("923609016MVA", false),
                      ("NO 923609016 MVA", false)])
    func bareOrganisationNumber(raw: String, bare: Bool) throws {
        let parsed = try VATNumber.parse(raw, country: "NO")
        #expect(parsed.isBareOrganisationNumber == bare, "\(raw)")
        #expect(parsed.businessID == "923609016")
    }

    @Test("refusals name their reason", arguments: refusals.indices)
    func refusal(index: Int) {
        let (raw, country, expected, reason) = Self.refusals[index]
        #expect(throws: expected) { try VATNumber.parse(raw, country: country) }
        #expect(expected.description == reason)
    }

    @Test("a country without a rule is normalised only and reported as unchecked",
          arguments: [("gb 123 4567 89", "gb", "GB123456789"), ("FR-40.303.265.045", "FR", "FR40303265045"),
                      ("IE 8Z49289F", "IE", "IE8Z49289F"), ("12345678", "US", "12345678")])
    func unchecked(raw: String, country: String, canonical: String) throws {
        let vat = try VATNumber.parse(raw, country: country)
        #expect(vat.canonical == canonical)
        #expect(vat.country == country.uppercased())
        #expect(!vat.isChecked)
        #expect(vat.businessID == nil)
    }
}
