/// Text someone else wrote made safe to show a person: one rule for customerctl's output and
/// customerd's log lines.
///
/// Stored text is data, not terminal commands: an escape sequence in a customer's name (stored
/// before the server refused control characters, or sent back by a business registry) must not
/// recolour, retitle or clear the terminal of whoever lists customers, and a line break inside a
/// cell must not make up a row of its own. Every cell of a table and every value of a field list
/// passes through here, and so does every log line (a trusted service's `acting-for` name is
/// logged as sent); JSON output keeps the text whole in JSON's own escapes (`jsonEscaped`).
public enum TerminalText {
    /// `text` with each control character (C0, DEL, C1), line or paragraph separator and
    /// bidirectional embedding, override or isolate written as a visible escape: `\n`, `\r`, `\t`,
    /// else `\u{1B}` with the code point in hex. A right-to-left override stored in a name (before
    /// the server refused them) printed the rest of the row reversed: `Acme \u{202E}yO enilno`.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            result += escape(scalar)
        }
        return result
    }

    /// The most code points of a caller's text a message quotes: the longest name a lookup can
    /// match (labels, industries and segments hold at most 100), so a name that exists is quoted whole.
    public static let maxQuoted = 100

    /// `text`, which a caller sent, as a message sent back to it quotes it: between `quote`s, its
    /// first `maxQuoted` code points escaped as `escaped` does, and past them `…` and how many it
    /// has. A refusal echoed a 70 000-character keyword or service name whole, bounded only by the
    /// STATUS's 4 KiB message and 8 KiB of details, and the service name's escape sequences as
    /// sent (redteam33): one rule for every message that quotes a name it looked up, and (redteam34)
    /// for the decoders' refusals of a decimal, URL or enum text and the refusal of a metadata key,
    /// which echoed the whole text as well (this module sits below the protocol for them).
    public static func quoted(_ text: String, quote: String = "'") -> String {
        var shown = ""
        var count = 0
        for scalar in text.unicodeScalars {
            count += 1
            guard count <= maxQuoted else { continue }
            if needsEscape(scalar) {
                shown += escape(scalar)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return count <= maxQuoted ? quote + shown + quote : quote + shown + "…" + quote + " (\(count) characters)"
    }

    /// The visible escape of one code point `needsEscape` holds.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        default: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
    }

    /// A JSON text (Foundation's encoder writes C0 as `\u00XX` but DEL, C1, the separators and
    /// the bidirectional controls as they are) with those written as `\uXXXX` too: the same JSON
    /// value, so a program reads the text whole, and a person reading it in a terminal sees a
    /// right-to-left override in a note as `\u202e`, not a line that reorders itself. Such code
    /// points can only stand inside JSON strings (the structure is ASCII), so each is replaced
    /// where it stands; C0 outside strings is the layout's own white space and stays.
    public static func jsonEscaped(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { $0.value >= 0x7F && needsEscape($0) }) else { return json }
        var result = ""
        result.unicodeScalars.reserveCapacity(json.unicodeScalars.count + 8)
        for scalar in json.unicodeScalars {
            guard scalar.value >= 0x7F, needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        return result
    }

    /// Encoded JSON (as `JSONEncoder` writes it, UTF-8) with the code points a terminal would act on
    /// in JSON's `\uXXXX` escapes, as `jsonEscaped(_: String)` writes them: what customerctl prints.
    public static func jsonEscaped<Bytes: RangeReplaceableCollection<UInt8>>(_ json: Bytes) -> Bytes {
        // Each such code point's UTF-8 starts with one of these bytes; most output has none.
        guard json.contains(where: { $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else { return json }
        return Bytes(jsonEscaped(String(decoding: json, as: UTF8.self)).utf8)
    }

    /// Category Cc is U+0000-001F and U+007F-009F, U+2028 and U+2029 are the only line and
    /// paragraph separators, and the bidirectional embeddings, overrides and isolates are
    /// U+202A-202E and U+2066-2069: range checks, as a `generalCategory` lookup per code point is slow.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x2028...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }
}
