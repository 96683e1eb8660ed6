/// base64url without padding (RFC 4648 §5): what page tokens are written in.
///
/// Written out because Foundation's way (`base64EncodedString` and three `replacingOccurrences`,
/// then back) cost ~130 000 instructions to make a token and ~100 000 to read one under callgrind,
/// a tenth of a whole ListCustomers call; these take a few hundred.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        // 3 bytes make 4 characters, a tail of 2 makes 3, of 1 makes 2 (no padding).
        let count = bytes.count / 3 * 4 + (bytes.count % 3 == 0 ? 0 : bytes.count % 3 + 1)
        // Written into the string's own storage: appending to an array, character by character,
        // then copying it into a `String` cost ~80 instructions a character under callgrind.
        return alphabet.withUnsafeBufferPointer { alphabet in
            String(unsafeUninitializedCapacity: count) { text in
                var written = 0
                var offset = 0
                while offset < bytes.count {
                    let taken = min(bytes.count - offset, 3)
                    var bits = UInt32(bytes[offset]) << 16
                    if taken > 1 { bits |= UInt32(bytes[offset + 1]) << 8 }
                    if taken > 2 { bits |= UInt32(bytes[offset + 2]) }
                    for position in 0...taken {
                        text[written] = alphabet[Int((bits >> UInt32(18 - 6 * position)) & 63)]
                        written += 1
                    }
                    offset += 3
                }
                return written
            }
        }
    }

    /// The bytes of `text` when it is exactly what `encode` makes of them (canonical: no padding,
    /// no stray bits, only the url-safe alphabet); nil for anything else.
    static func decodeCanonical(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decodeCanonical($0) }
    }

    private static func decodeCanonical(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        // 4 characters make 3 bytes, a tail of 3 makes 2, of 2 makes 1; a lone last character
        // encodes no byte (not canonical).
        guard text.count % 4 != 1 else { return nil }
        let count = text.count / 4 * 3 + max(text.count % 4 - 1, 0)
        var canonical = true
        // Stored into the array's own storage: `append` checked uniqueness and room a byte.
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { bytes, initialized in
            var bits: UInt32 = 0
            var pending = 0
            for character in text {
                guard let value = sextet(character) else {
                    canonical = false
                    break
                }
                bits = bits << 6 | value
                pending += 6
                if pending >= 8 {
                    pending -= 8
                    bytes[initialized] = UInt8(truncatingIfNeeded: bits >> UInt32(pending))
                    initialized += 1
                    bits &= (1 << UInt32(pending)) - 1
                }
            }
            // Leftover bits must be zero and fewer than 6.
            canonical = canonical && bits == 0 && pending < 6
        }
        return canonical ? bytes : nil
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
