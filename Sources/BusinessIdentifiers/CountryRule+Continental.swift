// The rules of Estonia, the Netherlands, Germany and Belgium.

extension CountryRule {
    /// Estonia: KMKR number of 9 digits (not the 8-digit registry code), `EE` + digits.
    static let estonia = CountryRule(country: "EE", adjective: "Estonian") { body throws(VATNumberError) in
        let digits = try CountryRule.digits(body, country: "EE", count: 9)
        try verifyLastDigit(country: "EE", digits) { CheckDigit.estonian($0) }
        return Parsed(canonical: "EE" + body, businessID: nil)
    }

    /// The Netherlands: `NL` + 9 digits + `B` + 2 digits (the establishment, never 00); 7 or 8
    /// digits gain their omitted leading zeros.
    /// Numbers issued before 2020 carry an RSIN/BSN that passes the elfproef; the
    /// btw-identificatienummers issued to sole traders since 2020 pass MOD 97-10 instead,
    /// so a number is valid when either holds (Belastingdienst, 2020 change).
    static let netherlands = CountryRule(country: "NL", adjective: "Dutch") { body throws(VATNumberError) in
        guard let letter = body.firstIndex(of: "B") else {
            throw .wrongFormat(country: "NL", reason: "have the form NL123456789B01: 9 digits, the letter B, 2 digits")
        }
        // RSINs start with zeros that people drop (`NL4495445B01`), as Belgium's old 9-digit form does.
        let typed = body[..<letter]
        let full = (7...8).contains(typed.count) ? String(repeating: "0", count: 9 - typed.count) + typed : String(typed)
        let number = try CountryRule.digits(full, country: "NL", count: 9)
        let establishment = body[body.index(after: letter)...]
        guard establishment.count == 2 else {
            throw .wrongFormat(country: "NL", reason: "end in B and 2 digits, got B\(establishment)")
        }
        let suffix = try CountryRule.digits(establishment, country: "NL", count: 2)
        guard suffix != [0, 0] else {
            throw .wrongFormat(country: "NL", reason: "never end in B00")
        }
        try refuseAllZeros(country: "NL", Array(number.prefix(8)))
        let elevenTest = CheckDigit.dutchElevenTest(Array(number.prefix(8)))
        let canonical = "NL" + full + "B" + establishment
        guard elevenTest == number[8] || CheckDigit.isMod97Valid(canonical) else {
            let expected = elevenTest.map { "expected check digit \($0)" } ?? "no check digit fits"
            throw .checksumFailed(country: "NL",
                                  reason: "fails both the mod-11 test (\(expected)) and the mod-97 test")
        }
        return Parsed(canonical: canonical, businessID: nil)
    }

    /// Germany: USt-IdNr. `DE` + 9 digits, the last an ISO 7064 MOD 11,10 check digit;
    /// the first digit is never 0.
    static let germany = CountryRule(country: "DE", adjective: "German") { body throws(VATNumberError) in
        let digits = try CountryRule.digits(body, country: "DE", count: 9)
        guard digits[0] != 0 else {
            throw .wrongFormat(country: "DE", reason: "do not start with 0")
        }
        try verifyLastDigit(country: "DE", digits) { CheckDigit.iso7064Mod11_10($0) }
        return Parsed(canonical: "DE" + body, businessID: nil)
    }

    /// Belgium: the 10-digit enterprise number (ondernemingsnummer), starting with 0 or 1,
    /// whose last two digits are 97 - (first eight mod 97). The old 9-digit form gains its leading 0.
    static let belgium = CountryRule(country: "BE", adjective: "Belgian") { body throws(VATNumberError) in
        let full = body.count == 9 ? "0" + body : body
        let digits = try CountryRule.digits(full, country: "BE", count: 10)
        guard digits[0] <= 1 else {
            throw .wrongFormat(country: "BE", reason: "start with 0 or 1, got \(digits[0])")
        }
        let expected = CheckDigit.belgian(Array(digits.prefix(8)))
        try verify(country: "BE", leading: Array(digits.prefix(8)), found: Array(digits.suffix(2)),
                   expected: [expected / 10, expected % 10])
        let enterpriseNumber = [full.prefix(4), full.dropFirst(4).prefix(3), full.suffix(3)].joined(separator: ".")
        return Parsed(canonical: "BE" + full, businessID: enterpriseNumber)
    }
}
