import Foundation

/// The blocking keys of duplicate detection: two customers are candidates when they share one.
///
/// Computed in Swift when a customer is written, because folding accents and recognising legal
/// forms are beyond SQLite's own functions, and stored in `customer_match_keys`, so finding
/// candidates is an index walk and never a comparison of every customer with every other.
struct MatchKey: Sendable, Hashable {
    enum Kind: String, Sendable, CaseIterable {
        /// The national business id (every spelling of a VAT number names it), else the VAT number.
        case vat
        /// The name folded for case and accents, punctuation dropped, legal forms removed.
        case name
        /// An email address's domain or a website's host (without `www.`).
        case domain
        /// The phone number in E.164.
        case phone
    }

    var kind: Kind
    var key: String

    /// The keys of one customer's stored fields (each at most once).
    static func keys(name: String, vatNumber: String?, businessID: String?, country: String?, email: String?,
                     website: String?, phone: String?) -> [MatchKey] {
        var keys: [MatchKey] = []
        func add(_ kind: Kind, _ key: String?) {
            if let key, !key.isEmpty, !keys.contains(MatchKey(kind: kind, key: key)) {
                keys.append(MatchKey(kind: kind, key: key))
            }
        }
        add(.vat, (businessID ?? vatNumber).map(IdentifierText.compact))
        add(.name, Self.name(name))
        add(.domain, email.flatMap(emailDomain))
        add(.domain, website.flatMap(websiteHost))
        add(.phone, phone.flatMap { e164($0, country: country) })
        return keys
    }

    /// "Oy Nokia Ab" -> "nokia", "Müller GmbH" -> "muller", "Acme B.V." -> "acme"; nil when
    /// nothing but a legal form is left.
    static func name(_ name: String) -> String? {
        var words = Self.words(SearchKey.fold(name))
        while let first = words.first, words.count > 1, legalForms.contains(first) { words.removeFirst() }
        while let last = words.last, words.count > 1, legalForms.contains(last) { words.removeLast() }
        if words.count == 1, let only = words.first, legalForms.contains(only) { return nil }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// The words of a folded name: dots and slashes join a legal form's letters (B.V., A/S); other
    /// punctuation separates words.
    ///
    /// ASCII text (most names) is split over its bytes: Foundation's `replacingOccurrences` and
    /// `Character` predicates cost an import row several thousand instructions (callgrind); for
    /// ASCII a letter or number is `a-z`, `A-Z`, `0-9`, so both give the same words.
    private static func words(_ folded: String) -> [String] {
        guard folded.isAllASCII else {
            return folded.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "/", with: "")
                .split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        }
        var words: [String] = []
        var word: [UInt8] = []
        for byte in folded.utf8 {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "/"):
                continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                word.append(byte)
            default:
                if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    /// Legal forms as `name` sees them (folded, dots and slashes removed), leading or trailing a name.
    static let legalForms: Set<String> = [
        "oy", "oyj", "ab", "abp", "ky", "tmi", "ry", "as", "asa", "ans", "aps", "hf", "ehf", "hb", "kb",
        "gmbh", "ag", "kg", "ohg", "ug", "ev", "bv", "nv", "vof", "cv", "ltd", "limited", "plc", "llp", "llc",
        "inc", "corp", "corporation", "co", "company", "sa", "sas", "sarl", "srl", "spa", "sl", "sro", "oü", "ou",
        "sia", "uab",
    ]

    /// The domain of an address at a company's own domain; nil for public mail services, which
    /// say nothing about whose address it is.
    static func emailDomain(_ email: String) -> String? {
        // In ASCII text every byte is a character: the byte search skips breaking it into graphemes.
        let isASCII = email.isAllASCII
        guard let at = isASCII ? email.utf8.lastIndex(of: UInt8(ascii: "@")) : email.lastIndex(of: "@") else { return nil }
        guard let domain = host(String(email[email.index(after: at)...])), !publicMailDomains.contains(domain) else {
            return nil
        }
        return domain
    }

    static let publicMailDomains: Set<String> = [
        "gmail.com", "googlemail.com", "hotmail.com", "outlook.com", "live.com", "msn.com", "yahoo.com",
        "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "web.de", "protonmail.com", "proton.me",
        "suomi24.fi", "luukku.com", "kolumbus.fi", "online.no", "hotmail.fi", "hotmail.se", "yahoo.se",
    ]

    /// "https://www.Example.com/about" -> "example.com".
    static func websiteHost(_ website: String) -> String? {
        let candidate = website.contains("://") ? website : "https://" + website
        return URLComponents(string: candidate)?.host.flatMap(host)
    }

    /// Lower case, without a trailing dot and a leading `www.`.
    private static func host(_ text: String) -> String? {
        var host = text.lowercased()
        if host.isAllASCII {
            // The same steps on the bytes (an import computes this for every row).
            var bytes = Array(host.utf8)
            if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
            if bytes.starts(with: "www.".utf8) { bytes.removeFirst(4) }
            return bytes.contains(UInt8(ascii: ".")) ? String(decoding: bytes, as: UTF8.self) : nil
        }
        if host.hasSuffix(".") { host.removeLast() }
        if host.hasPrefix("www.") { host.removeFirst(4) }
        return host.contains(".") ? host : nil
    }

    /// The number in E.164 (`+358401234567`): `+` or `00` starts an international number; a
    /// national one (its trunk `0` dropped) takes the calling code of the customer's country.
    /// Nil when the country's code is not known here or the result is not 8 to 15 digits long.
    static func e164(_ phone: String, country: String?) -> String? {
        let dialled = Self.dialled(phone)
        var digits = dialled.digits
        if dialled.international {
            // Already international.
        } else if digits.hasPrefix("00") {
            digits.removeFirst(2)
        } else {
            guard let code = country.flatMap({ callingCodes[$0] }) else { return nil }
            if digits.hasPrefix("0") { digits.removeFirst() }
            digits = code + digits
        }
        return (8...15).contains(digits.count) ? "+" + digits : nil
    }

    /// Whether the number starts with `+` and its ASCII digits, without a bracketed trunk zero:
    /// "+358 (0)40 ..." is dialled `+35840...`, the zero only from inside the country. ASCII text
    /// (most numbers) is read over its bytes, as `MatchKey.words` explains.
    private static func dialled(_ phone: String) -> (international: Bool, digits: String) {
        guard phone.isAllASCII else {
            let trimmed = phone.replacingOccurrences(of: "(0)", with: "").trimmingCharacters(in: .whitespaces)
            return (trimmed.hasPrefix("+"), trimmed.filter(\.isASCII).filter(\.isNumber))
        }
        let bytes = Array(phone.utf8)
        var digits: [UInt8] = []
        var international: Bool?
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "("), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "0"),
               bytes[index + 2] == UInt8(ascii: ")") {
                index += 3
                continue
            }
            // `.whitespaces` in ASCII: space and tab; the first other byte decides.
            if international == nil, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") {
                international = byte == UInt8(ascii: "+")
            }
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { digits.append(byte) }
            index += 1
        }
        return (international ?? false, String(decoding: digits, as: UTF8.self))
    }

    /// ITU-T E.164 country calling codes of the countries customers here are usually in.
    static let callingCodes: [String: String] = [
        "FI": "358", "AX": "358", "SE": "46", "NO": "47", "DK": "45", "IS": "354", "EE": "372", "LV": "371",
        "LT": "370", "DE": "49", "NL": "31", "BE": "32", "LU": "352", "FR": "33", "GB": "44", "IE": "353",
        "AT": "43", "CH": "41", "PL": "48", "ES": "34", "PT": "351", "IT": "39", "US": "1", "CA": "1",
    ]
}
