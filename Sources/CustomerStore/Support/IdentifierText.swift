import Foundation

/// VAT numbers and business ids as people paste them, reduced to the letters and digits that
/// identify: what the validator checks and what search compares.
///
/// The twin of `VATNumber.normalise` in BusinessIdentifiers (the store does not import the
/// country rules, see `VATNumberNormaliser`); both must ignore the same characters, or a number
/// one accepts the other refuses.
enum IdentifierText {
    /// Said in every refusal, so the message never claims more than is ignored.
    static let ignored = "spaces, dashes, dots and invisible formatting characters are ignored"

    /// Unicode compatibility folding (NFKC: full-width `０１` becomes `01`, a no-break space a
    /// space), then without whitespace, hyphens and dashes (U+2010 to U+2015, the minus sign),
    /// dots and invisible format characters (soft hyphen, zero-width space and joiners, word
    /// joiner, byte order mark), upper-cased.
    static func compact(_ text: String) -> String {
        // ASCII text (every import row's empty business id, most pasted numbers) is its own NFKC
        // form and holds no invisible character: only its whitespace, "-" and "." go. Foundation's
        // mapping cost even an empty text ~6 000 instructions (callgrind of an import, issue 17).
        if text.isAllASCII {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 where !Self.isIgnoredASCII(byte) {
                bytes.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return compactUnicode(text)
    }

    /// `compact` for any text, through Foundation's NFKC mapping.
    static func compactUnicode(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping
            .filter { character in
                !character.isWhitespace && !separators.contains(character)
                    && !character.unicodeScalars.allSatisfy { invisible.contains($0.value) }
            }
            .uppercased()
    }

    /// An ASCII byte `compactUnicode` drops: whitespace (tab to carriage return, space), "-" and ".".
    private static func isIgnoredASCII(_ byte: UInt8) -> Bool {
        (0x09...0x0D).contains(byte) || byte == 0x20 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static let separators: Set<Character> = [
        "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", ".",
    ]
    private static let invisible: Set<UInt32> = [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
}
