/// Text from the server made safe to print for a person.
///
/// Stored text is data, not terminal commands: an escape sequence in a customer's name (stored
/// before the server refused control characters, or sent back by a business registry) must not
/// recolour, retitle or clear the terminal of whoever lists customers, and a line break inside a
/// cell must not make up a row of its own. Every cell of a table and every value of a field list
/// passes through here; JSON output escapes by its own rules.
enum TerminalText {
    /// `text` with each control character (C0, DEL, C1), line or paragraph separator and
    /// bidirectional embedding, override or isolate written as a visible escape: `\n`, `\r`, `\t`,
    /// else `\u{1B}` with the code point in hex. A right-to-left override stored in a name (before
    /// the server refused them) printed the rest of the row reversed: `Acme \u{202E}yO enilno`.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return result
    }

    /// Category Cc is U+0000-001F and U+007F-009F, U+2028 and U+2029 are the only line and
    /// paragraph separators, and the bidirectional embeddings, overrides and isolates are
    /// U+202A-202E and U+2066-2069: range checks, as a `generalCategory` lookup per code point is slow.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x2028...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }
}
