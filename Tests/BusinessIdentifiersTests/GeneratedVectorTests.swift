import Testing
@testable import BusinessIdentifiers

/// Generated vectors: for pseudo-random leading digits, EVERY possible check value is tried,
/// and the module must accept exactly the ones the independent reference rule accepts,
/// naming the reference's digit when it refuses.
struct GeneratedVectorTests {
    struct Shape: Sendable, CustomStringConvertible {
        let country: String
        let leading: Int
        let first: ClosedRange<Int>
        let checkWidth: Int
        /// Turns leading digits + check value into the full national number.
        let complete: @Sendable (String, String, inout SplitMix64) -> String
        var description: String { country }
    }

    static let leadsPerCountry = 120

    static let shapes: [Shape] = [
        Shape(country: "FI", leading: 7, first: 0...9, checkWidth: 1) { lead, check, _ in lead + check },
        Shape(country: "NO", leading: 8, first: 0...9, checkWidth: 1) { lead, check, _ in lead + check },
        Shape(country: "SE", leading: 9, first: 0...9, checkWidth: 1) { lead, check, _ in lead + check + "01" },
        Shape(country: "DK", leading: 7, first: 1...9, checkWidth: 1) { lead, check, _ in lead + check },
        Shape(country: "EE", leading: 8, first: 0...9, checkWidth: 1) { lead, check, _ in lead + check },
        Shape(country: "NL", leading: 8, first: 0...9, checkWidth: 1) { lead, check, random in
            lead + check + "B" + String(format2: 1 + Int(random.next() % 99))
        },
        Shape(country: "DE", leading: 8, first: 1...9, checkWidth: 1) { lead, check, _ in lead + check },
        Shape(country: "BE", leading: 8, first: 0...1, checkWidth: 2) { lead, check, _ in lead + check },
    ]

    @Test("every check value of generated numbers is judged like the reference rule", arguments: shapes)
    func everyCheckValue(shape: Shape) throws {
        var random = SplitMix64(state: 0xC0FFEE ^ UInt64(shape.country.unicodeScalars.reduce(0) { $0 * 31 + $1.value }))
        var accepted = 0
        var refused = 0
        for _ in 0..<Self.leadsPerCountry {
            let lead = random.digits(shape.leading, first: shape.first)
            let suffixSeed = random.next()
            let candidates = (0..<(shape.checkWidth == 1 ? 10 : 100)).map { value -> String in
                var local = SplitMix64(state: suffixSeed)
                let check = shape.checkWidth == 1 ? String(value) : String(format2: value)
                return shape.complete(lead, check, &local)
            }
            let valid = candidates.filter { ReferenceRules.isValid(shape.country, $0) }
            for number in candidates {
                let expectValid = valid.contains(number)
                do {
                    let vat = try VATNumber.parse(number, country: shape.country)
                    #expect(expectValid, "accepted \(number), the reference refuses it")
                    let canonical = shape.country + number + (shape.country == "NO" ? "MVA" : "")
                    #expect(vat.canonical == canonical)
                    accepted += 1
                } catch {
                    #expect(!expectValid, "refused \(number) (\(error)), the reference accepts it")
                    if shape.country != "NL" {
                        #expect(error == Self.expectedRefusal(shape, lead: lead, number: number, valid: valid))
                    }
                    refused += 1
                }
            }
        }
        // Rules without a solution for some leads (FI, NO, DK) still leave most leads one valid number.
        #expect(accepted >= Self.leadsPerCountry * 8 / 10)
        #expect(refused >= Self.leadsPerCountry * 8)
    }

    /// What the module must say about a wrong check value: the reference's unique valid value, or "none".
    static func expectedRefusal(_ shape: Shape, lead: String, number: String, valid: [String]) -> VATNumberError {
        let start = number.index(number.startIndex, offsetBy: shape.leading)
        let found = String(number[start...].prefix(shape.checkWidth))
        guard let good = valid.first else {
            return .noValidCheckDigit(country: shape.country, digits: lead)
        }
        let expected = String(good[start...].prefix(shape.checkWidth))
        return .checkDigitMismatch(country: shape.country, found: found, expected: expected)
    }

    @Test("a digit changed anywhere in a valid number is caught", arguments: shapes)
    func singleDigitChange(shape: Shape) throws {
        var random = SplitMix64(state: 42)
        var changed = 0
        for _ in 0..<Self.leadsPerCountry {
            let lead = random.digits(shape.leading, first: shape.first)
            var local = SplitMix64(state: random.next())
            let checks = (0..<(shape.checkWidth == 1 ? 10 : 100)).map {
                shape.checkWidth == 1 ? String($0) : String(format2: $0)
            }
            guard let number = checks.lazy.map({ check -> String in
                var copy = local
                return shape.complete(lead, check, &copy)
            }).first(where: { ReferenceRules.isValid(shape.country, $0) }) else { continue }
            _ = local.next()
            var characters = Array(number)
            let position = Int(random.next() % UInt64(shape.leading))
            guard let digit = characters[position].wholeNumberValue else { continue }
            characters[position] = Character(String((digit + 1 + Int(random.next() % 9)) % 10))
            let altered = String(characters)
            let parsed = try? VATNumber.parse(altered, country: shape.country)
            #expect((parsed != nil) == ReferenceRules.isValid(shape.country, altered), "\(number) -> \(altered)")
            changed += 1
        }
        #expect(changed >= Self.leadsPerCountry * 8 / 10)
    }
}

extension String {
    /// Two digits with a leading zero.
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
