/// base64url without padding (RFC 4648 §5): what page tokens are written in.
///
/// Written out because Foundation's way (`base64EncodedString` and three `replacingOccurrences`,
/// then back) cost ~130 000 instructions to make a token and ~100 000 to read one under callgrind,
/// a tenth of a whole ListCustomers call; these take a few hundred.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count + 2) / 3 * 4)
        var offset = 0
        while offset < bytes.count {
            let taken = min(bytes.count - offset, 3)
            var bits = UInt32(bytes[offset]) << 16
            if taken > 1 { bits |= UInt32(bytes[offset + 1]) << 8 }
            if taken > 2 { bits |= UInt32(bytes[offset + 2]) }
            // 3 bytes make 4 characters, 2 make 3, 1 makes 2 (no padding).
            for position in 0...taken { text.append(alphabet[Int((bits >> UInt32(18 - 6 * position)) & 63)]) }
            offset += 3
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of `text` when it is exactly what `encode` makes of them (canonical: no padding,
    /// no stray bits, only the url-safe alphabet); nil for anything else.
    static func decodeCanonical(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3 / 4)
        var bits: UInt32 = 0
        var pending = 0
        for character in text.utf8 {
            guard let value = sextet(character) else { return nil }
            bits = bits << 6 | value
            pending += 6
            if pending >= 8 {
                pending -= 8
                bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(pending)))
                bits &= (1 << UInt32(pending)) - 1
            }
        }
        // Leftover bits must be zero and fewer than 6 (a lone last character encodes no byte).
        guard bits == 0, pending < 6 else { return nil }
        return bytes
    }

    private static func sextet(_ character: UInt8) -> UInt32? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(character - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(character - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(character - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
