/// The check digit algorithms the supported countries use, as pure functions over digit values.
///
/// Each function computes the check digit(s) that the leading digits call for, or `nil`
/// when the country's rule has no valid check digit for them; comparing with what was
/// typed is the caller's job, so refusals can name both values.
enum CheckDigit {
    /// The weighted digit sum that every modulus rule below starts from.
    static func weightedSum(_ digits: [Int], _ weights: [Int]) -> Int {
        zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Finland's Y-tunnus: weights 7,9,10,5,8,4,2 over the first 7 digits, modulus 11;
    /// remainder 0 gives 0, remainder 1 is never issued, otherwise 11 - remainder.
    /// (PRH/Verohallinto "Y-tunnuksen tarkistusmerkki" rule.)
    static func finnish(_ digits: [Int]) -> Int? {
        let remainder = weightedSum(digits, [7, 9, 10, 5, 8, 4, 2]) % 11
        switch remainder {
        case 0: return 0
        case 1: return nil
        default: return 11 - remainder
        }
    }

    /// Norway's organisasjonsnummer: weights 3,2,7,6,5,4,3,2 over the first 8 digits,
    /// check = 11 - (sum mod 11); 11 becomes 0 and 10 is never issued (Brønnøysundregistrene).
    static func norwegian(_ digits: [Int]) -> Int? {
        let check = 11 - weightedSum(digits, [3, 2, 7, 6, 5, 4, 3, 2]) % 11
        switch check {
        case 11: return 0
        case 10: return nil
        default: return check
        }
    }

    /// Denmark's CVR: weights 2,7,6,5,4,3,2,1 over all 8 digits must sum to a multiple of 11,
    /// so the last digit (weight 1) is what completes the first seven's sum.
    static func danish(_ digits: [Int]) -> Int? {
        let check = (11 - weightedSum(digits, [2, 7, 6, 5, 4, 3, 2]) % 11) % 11
        return check == 10 ? nil : check
    }

    /// Luhn (ISO/IEC 7812-1), as Sweden's organisationsnummer uses it over its 10 digits:
    /// from the right of the payload, every second digit is doubled (digits of the product added).
    static func luhn(_ digits: [Int]) -> Int {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            let value = offset.isMultiple(of: 2) ? digit * 2 : digit
            sum += value > 9 ? value - 9 : value
        }
        return (10 - sum % 10) % 10
    }

    /// Estonia's KMKR (VAT number): weights 3,7,1,3,7,1,3,7 over the first 8 digits,
    /// check = (10 - sum mod 10) mod 10 (Maksu- ja Tolliamet's rule, as in the EU VIES algorithms).
    static func estonian(_ digits: [Int]) -> Int {
        (10 - weightedSum(digits, [3, 7, 1, 3, 7, 1, 3, 7]) % 10) % 10
    }

    /// ISO 7064 MOD 11,10 (hybrid system), Germany's USt-IdNr. check digit.
    static func iso7064Mod11_10(_ digits: [Int]) -> Int {
        var product = 10
        for digit in digits {
            var sum = (digit + product) % 10
            if sum == 0 { sum = 10 }
            product = (2 * sum) % 11
        }
        return (11 - product) % 10
    }

    /// The Dutch "elfproef" on an RSIN/BSN: weights 9..2 over the first 8 digits and -1 on
    /// the ninth must give a multiple of 11, so the ninth digit is the sum mod 11 (10 never issued).
    static func dutchElevenTest(_ digits: [Int]) -> Int? {
        let check = weightedSum(digits, [9, 8, 7, 6, 5, 4, 3, 2]) % 11
        return check == 10 ? nil : check
    }

    /// ISO 7064 MOD 97-10 over letters and digits (A=10 ... Z=35), valid when the value mod 97 is 1:
    /// the Dutch btw-identificatienummer rule since 2020 ("NL" + digits + "B" + digits).
    static func isMod97Valid(_ text: String) -> Bool {
        var remainder = 0
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                remainder = (remainder * 10 + digit) % 97
            } else if let ascii = character.asciiValue, (65...90).contains(ascii) {
                remainder = (remainder * 100 + Int(ascii) - 55) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }

    /// Belgium's enterprise number: the last two digits are 97 - (first eight mod 97).
    static func belgian(_ digits: [Int]) -> Int {
        97 - digits.reduce(0) { $0 * 10 + $1 } % 97
    }
}
