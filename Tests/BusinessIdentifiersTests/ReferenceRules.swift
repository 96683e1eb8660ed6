// Independent, deliberately plain re-statements of each country's rule, written as
// "is the whole number valid" (the module computes "which check digit is expected").
// Used to generate valid numbers and to judge every wrong variant of them.

enum ReferenceRules {
    /// Whether `number` (digits only, plus Dutch "B") is valid for `country`.
    static func isValid(_ country: String, _ number: String) -> Bool {
        let d = number.compactMap(\.wholeNumberValue)
        switch country {
        case "FI":
            guard d.count == 8 else { return false }
            let r = dot(d, [7, 9, 10, 5, 8, 4, 2]) % 11
            if r == 1 { return false }
            return d[7] == (r == 0 ? 0 : 11 - r)
        case "NO":
            // Brønnøysund: weights 3,2,7,6,5,4,3,2 and 1 on the check digit sum to a multiple of 11.
            return d.count == 9 && dot(d, [3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0
        case "SE":
            guard d.count == 12, number.hasSuffix("01") else { return false }
            // Luhn validation: doubling every second digit from the right, starting at the second-to-last.
            var sum = 0
            for (i, digit) in d.prefix(10).enumerated() {
                let doubled = i % 2 == 0 ? digit * 2 : digit
                sum += doubled / 10 + doubled % 10
            }
            return sum % 10 == 0
        case "DK":
            return d.count == 8 && d[0] != 0 && dot(d, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0
        case "EE":
            return d.count == 9 && dot(d, [3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 == 0
        case "NL":
            return isValidDutch(number)
        case "DE":
            // ISO 7064 MOD 11,10 validation form: running the recurrence over all 9 digits ends in 1.
            guard d.count == 9, d[0] != 0 else { return false }
            var check = 5
            for digit in d { check = ((check == 0 ? 10 : check) * 2 % 11 + digit) % 10 }
            return check == 1
        case "BE":
            // The check is 97 - (first eight mod 97), so it lies in 01...97: "00", "98" and "99" never occur.
            guard d.count == 10, d[0] <= 1 else { return false }
            let check = d[8] * 10 + d[9]
            return (1...97).contains(check) && (d.prefix(8).reduce(0) { $0 * 10 + $1 } + check) % 97 == 0
        default:
            return false
        }
    }

    private static func dot(_ digits: [Int], _ weights: [Int]) -> Int {
        var total = 0
        for i in 0..<min(digits.count, weights.count) { total += digits[i] * weights[i] }
        return total
    }

    /// NL: elfproef (9..2 and -1) on the 9 digits, or MOD 97-10 over "NL" + number with letters as 10...35.
    private static func isValidDutch(_ number: String) -> Bool {
        let chars = Array(number)
        guard chars.count == 12, chars[9] == "B", number.suffix(2) != "00" else { return false }
        let d = chars.prefix(9).compactMap(\.wholeNumberValue)
        guard d.count == 9 else { return false }
        if (dot(d, [9, 8, 7, 6, 5, 4, 3, 2]) - d[8]) % 11 == 0 { return true }
        let expanded = ("NL" + number).map { c -> String in
            c.isNumber ? String(c) : String(Int(c.asciiValue!) - Int(Character("A").asciiValue!) + 10)
        }.joined()
        var remainder = 0
        for c in expanded { remainder = (remainder * 10 + c.wholeNumberValue!) % 97 }
        return remainder == 1
    }
}

/// A tiny deterministic generator (SplitMix64) so generated vectors are the same on every run.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func digits(_ count: Int, first: ClosedRange<Int> = 0...9) -> String {
        (0..<count).map { i in
            let range = i == 0 ? first : 0...9
            return String(range.lowerBound + Int(next() % UInt64(range.count)))
        }.joined()
    }
}
