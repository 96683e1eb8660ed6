import Testing
import BusinessIdentifiers

/// Numbers published by the registries (the response samples) and by the python-stdnum
/// documentation (its doctests, arthurdejong/python-stdnum, stdnum/<cc>/*.py), plus large
/// companies' numbers as they print them.
struct PublishedVectorTests {
    struct Vector: Sendable, CustomStringConvertible {
        let raw: String
        let country: String
        let canonical: String
        let businessID: String?
        let source: String
        var description: String { "\(country) \(raw) [\(source)]" }
    }

    static let valid: [Vector] = [
        Vector(raw: "0112038-9", country: "FI", canonical: "FI01120389", businessID: "0112038-9",
               source: "Nokia Oyj, PRH YTJ v3 sample /work/shared/registry-samples"),
        Vector(raw: "FI 20774740", country: "FI", canonical: "FI20774740", businessID: "2077474-0",
               source: "python-stdnum stdnum/fi/alv.py doctest"),
        Vector(raw: "923609016", country: "NO", canonical: "NO923609016MVA", businessID: "923609016",
               source: "Equinor ASA, Brønnøysund Enhetsregisteret sample /work/shared/registry-samples"),
        Vector(raw: "988 077 917", country: "NO", canonical: "NO988077917MVA", businessID: "988077917",
               source: "python-stdnum stdnum/no/orgnr.py doctest"),
        Vector(raw: "SE 123456789701", country: "SE", canonical: "SE123456789701", businessID: "123456-7897",
               source: "python-stdnum stdnum/se/vat.py doctest"),
        Vector(raw: "556012-5790", country: "SE", canonical: "SE556012579001", businessID: "556012-5790",
               source: "AB Volvo organisationsnummer, Volvo annual report"),
        Vector(raw: "DK 13585628", country: "DK", canonical: "DK13585628", businessID: "13585628",
               source: "python-stdnum stdnum/dk/cvr.py doctest"),
        Vector(raw: "24256790", country: "DK", canonical: "DK24256790", businessID: "24256790",
               source: "Novo Nordisk A/S CVR, Novo Nordisk annual report"),
        Vector(raw: "EE 100 931 558", country: "EE", canonical: "EE100931558", businessID: nil,
               source: "python-stdnum stdnum/ee/kmkr.py doctest"),
        Vector(raw: "100594102", country: "EE", canonical: "EE100594102", businessID: nil,
               source: "python-stdnum stdnum/ee/kmkr.py doctest"),
        Vector(raw: "004495445B01", country: "NL", canonical: "NL004495445B01", businessID: nil,
               source: "python-stdnum stdnum/nl/btw.py doctest (elfproef)"),
        Vector(raw: "NL002455799B11", country: "NL", canonical: "NL002455799B11", businessID: nil,
               source: "python-stdnum stdnum/nl/btw.py doctest (mod 97, valid since 2020-01-01)"),
        Vector(raw: "DE136695976", country: "DE", canonical: "DE136695976", businessID: nil,
               source: "python-stdnum stdnum/de/vat.py doctest"),
        Vector(raw: "BE403019261", country: "BE", canonical: "BE0403019261", businessID: "0403.019.261",
               source: "python-stdnum stdnum/be/vat.py doctest (old 9-digit form)"),
        Vector(raw: "BE 428759497", country: "BE", canonical: "BE0428759497", businessID: "0428.759.497",
               source: "python-stdnum stdnum/be/vat.py doctest"),
    ]

    @Test("published numbers are accepted in their canonical form", arguments: valid)
    func accepts(vector: Vector) throws {
        let vat = try VATNumber.parse(vector.raw, country: vector.country)
        #expect(vat.canonical == vector.canonical)
        #expect(vat.businessID == vector.businessID)
        #expect(vat.country == vector.country)
        #expect(vat.isChecked)
    }

    /// Published wrong numbers, with the reason each must be refused for.
    static let invalid: [(raw: String, country: String, reason: String, source: String)] = [
        ("FI 20774741", "FI", "Finnish check digit 1 does not match the expected 0", "python-stdnum fi/alv.py"),
        ("988 077 918", "NO", "Norwegian check digit 8 does not match the expected 7", "python-stdnum no/orgnr.py"),
        ("123456789101", "SE", "Swedish check digit 1 does not match the expected 7", "python-stdnum se/vat.py"),
        ("DK 13585627", "DK", "Danish check digit 7 does not match the expected 8", "python-stdnum dk/cvr.py"),
        ("100594103", "EE", "Estonian check digit 3 does not match the expected 2", "python-stdnum ee/kmkr.py"),
        ("123456789B90", "NL",
         "Dutch VAT number fails both the mod-11 test (expected check digit 2) and the mod-97 test",
         "python-stdnum nl/btw.py"),
        ("136695978", "DE", "German check digit 8 does not match the expected 6", "python-stdnum de/vat.py"),
        ("BE431150351", "BE", "Belgian check digits 51 do not match the expected 50", "python-stdnum be/vat.py"),
    ]

    @Test("published wrong numbers are refused with the precise reason", arguments: invalid.indices)
    func refuses(index: Int) {
        let vector = Self.invalid[index]
        #expect(throws: VATNumberError.self, "\(vector.source)") {
            try VATNumber.parse(vector.raw, country: vector.country)
        }
        do {
            _ = try VATNumber.parse(vector.raw, country: vector.country)
        } catch {
            #expect(error.description == vector.reason)
        }
    }

    @Test("VATNumber describes itself by its canonical form")
    func description() throws {
        #expect(try VATNumber.parse("923609016", country: "NO").description == "NO923609016MVA")
        #expect(VATNumber.checkedCountries == ["FI", "NO", "SE", "DK", "EE", "NL", "DE", "BE"])
    }
}

/// Numbers of nothing but zeros: most check digit rules pass them (FI 0000000-0, NO 000000000,
/// SE, EE, NL), but no registry issues one. Every check value after zero digits is refused for the
/// zeros, not for the check value (which would suggest one to type); so is an unchecked country's.
struct AllZeroNumberTests {
    /// Each checked country's zero digits in every form it is typed, the check value left to try.
    static let zeros: [(country: String, typed: @Sendable (String) -> String, checkWidth: Int)] = [
        ("FI", { "0000000-" + $0 }, 1), ("NO", { "00000000" + $0 }, 1), ("NO", { "NO 00000000\($0) MVA" }, 1),
        ("SE", { "000000000" + $0 + "01" }, 1), ("SE", { "00000-0000" + $0 }, 1), ("EE", { "00000000" + $0 }, 1),
        ("NL", { "00000000" + $0 + "B01" }, 1), ("NL", { "000000" + $0 + "B01" }, 1), ("BE", { "00000000" + $0 }, 2),
    ]

    @Test("zero digits are refused as a placeholder whatever the check value", arguments: zeros.indices)
    func refusedWhateverTheCheckValue(index: Int) {
        let (country, typed, width) = Self.zeros[index]
        for value in 0..<(width == 1 ? 10 : 100) {
            let number = typed(width == 1 ? String(value) : String(format2: value))
            #expect(throws: VATNumberError.allZeros(country: country), "\(number)") {
                try VATNumber.parse(number, country: country)
            }
        }
    }

    @Test("the refusal says why, and a number of another country of only zeros is refused too")
    func reasonAndUncheckedCountries() throws {
        #expect(VATNumberError.allZeros(country: "FI").description
            == "Finnish VAT numbers are never all zeros: that is a placeholder, not a number anyone was given "
            + "(leave the field empty instead)")
        #expect(throws: VATNumberError.allZeros(country: "FR")) { try VATNumber.parse("FR 000 000 000 00", country: "FR") }
        #expect(throws: VATNumberError.allZeros(country: "AT")) { try VATNumber.parse("0000-0000", country: "AT") }
        // A zero among other digits is a number like any other.
        #expect(try VATNumber.parse("FR40303265045", country: "FR").canonical == "FR40303265045")
        #expect(try VATNumber.parse("0112038-9", country: "FI").canonical == "FI01120389")
    }
}
