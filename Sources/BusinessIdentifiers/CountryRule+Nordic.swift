// The Nordic rules: Finland and Norway (whose registries are queried) and Sweden and Denmark.

extension CountryRule {
    /// Finland: ALV-numero `FI` + the 8 digits of the Y-tunnus `1234567-8`.
    static let finland = CountryRule(country: "FI", adjective: "Finnish") { body throws(VATNumberError) in
        let digits = try CountryRule.digits(body, country: "FI", count: 8)
        try verifyLastDigit(country: "FI", digits, expected: CheckDigit.finnish)
        return Parsed(canonical: "FI" + body, businessID: body.prefix(7) + "-" + body.suffix(1))
    }

    /// Norway: organisasjonsnummer of 9 digits; the VAT form is `NO` + number + `MVA`
    /// (merverdiavgift), which people often type without one or both parts.
    static let norway = CountryRule(country: "NO", adjective: "Norwegian") { body throws(VATNumberError) in
        let number = body.hasSuffix("MVA") ? String(body.dropLast(3)) : body
        let digits = try CountryRule.digits(number, country: "NO", count: 9)
        try verifyLastDigit(country: "NO", digits, expected: CheckDigit.norwegian)
        return Parsed(canonical: "NO" + number + "MVA", businessID: number)
    }

    /// Sweden: momsregistreringsnummer `SE` + organisationsnummer (10 digits, Luhn) + `01`.
    /// A bare 10-digit organisationsnummer is accepted and completed with `01`.
    static let sweden = CountryRule(country: "SE", adjective: "Swedish") { body throws(VATNumberError) in
        let full = body.count == 10 ? body + "01" : body
        let digits = try CountryRule.digits(full, country: "SE", count: 12)
        guard digits[10] == 0, digits[11] == 1 else {
            throw .wrongFormat(country: "SE", reason: "end in 01, got \(full.suffix(2))")
        }
        try verifyLastDigit(country: "SE", Array(digits.prefix(10))) { CheckDigit.luhn($0) }
        let organisationNumber = full.prefix(10)
        return Parsed(canonical: "SE" + full,
                      businessID: organisationNumber.prefix(6) + "-" + organisationNumber.suffix(4))
    }

    /// Denmark: CVR-nummer of 8 digits, the VAT form `DK` + CVR; a CVR never starts with 0.
    static let denmark = CountryRule(country: "DK", adjective: "Danish") { body throws(VATNumberError) in
        let digits = try CountryRule.digits(body, country: "DK", count: 8)
        guard digits[0] != 0 else {
            throw .wrongFormat(country: "DK", reason: "do not start with 0")
        }
        try verifyLastDigit(country: "DK", digits, expected: CheckDigit.danish)
        return Parsed(canonical: "DK" + body, businessID: body)
    }
}
