/// The checks every text field of the store gets, whatever its own rule: the text trimmed and
/// composed (`canonical`), lengths counted the way the schema counts them, no control characters
/// and no bidirectional formatting in one line. Every validator goes through here (for optional
/// fields through `CustomerValidator.normalise`), so no field can be forgotten. Public for the
/// server's own lookups by name, which refuse such text by the same rule.
public enum TextInput {
    /// Whether a field may hold line breaks.
    public enum Lines: Sendable {
        /// One line (names, titles, codes): no control character or bidirectional control at all.
        case single
        /// Free text (descriptions, notes): line feeds and tabs, no other control character.
        case multiple
    }

    /// `raw` as the store keeps and compares it: without leading and trailing white space, in
    /// Unicode's composed form (NFC).
    ///
    /// "Café" typed with a combining accent (NFD, as macOS file names and some web forms send it)
    /// and with the precomposed é are the same text to a reader, but not to SQLite, which compares
    /// bytes: both were stored as sent, so a label or an industry could exist twice under one
    /// visible name, a lookup by name missed the other form, and a name at its limit in NFD was
    /// refused as too long. Composing on input makes every stored text, unique index and lookup
    /// see one form; lengths are counted after it. Every field and every name looked up passes here.
    public static func canonical(_ raw: String) -> String {
        composed(raw.trimmingWhitespace())
    }

    /// `text` in NFC. A text whose every byte is below 0xCC is returned as it is: such bytes
    /// encode only code points below U+0300, which Unicode fixes as starters that nothing composes
    /// with (NFC_Quick_Check Yes), so ASCII and Latin-1 to Latin Extended-B (Dutch, German, French,
    /// Turkish, Polish names) never pay for Foundation's mapping.
    static func composed(_ text: String) -> String {
        var text = text
        let isComposed = text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0xCC } }
        return isComposed ? text : streamSafe(text).precomposedStringWithCanonicalMapping
    }

    /// The most code points canonical composition joins into one: U+1F82 (ᾂ) is U+03B1 U+0313
    /// U+0300 U+0345 decomposed, and no code point NFC keeps decomposes into more (computed over
    /// every code point with Foundation: TextInputTests). So composing leaves at least a quarter of
    /// a text's code points, and the joiners ``streamSafe(_:)`` adds only add to them.
    static let maxCodePointsComposedIntoOne = 4

    /// Whether `trimmed`, not yet composed, is longer than `maxLength` code points whatever
    /// composing joins, so it can be refused by its length before composing, which costs a 4 MB
    /// text about 0.2 s of CPU (redteam27); a text that could still fit is left to the count after.
    static func cannotFit(_ trimmed: String, in maxLength: Int) -> Bool {
        length(trimmed) > mostUncomposed(fitting: maxLength)
    }

    /// The most code points a text not yet composed may have and still compose into `maxLength`
    /// or fewer (no bound when that count overflows).
    static func mostUncomposed(fitting maxLength: Int) -> Int {
        let (bound, overflow) = maxLength.multipliedReportingOverflow(by: maxCodePointsComposedIntoOne)
        return overflow ? .max : bound
    }

    /// Why a text longer than `maxLength` code points is refused in an optional field.
    static func tooLong(_ maxLength: Int, field: String) -> FieldViolation {
        FieldViolation(field: field, reason: "must be at most \(maxLength) characters")
    }

    /// The most non-starters (combining marks) in a row that ``streamSafe(_:)`` leaves as they are.
    static let maxNonStartersInARow = 30
    private static let combiningGraphemeJoiner: Unicode.Scalar = "\u{034F}"

    /// `text` with a combining grapheme joiner (U+034F, a starter that shows nothing) after every
    /// 30 non-starters in a row, as Unicode's Stream-Safe Text Process (UAX #15) does; any other
    /// text as it is.
    ///
    /// Foundation puts each run of non-starters in canonical order by a sort whose cost grows with
    /// the square of the run (`__CFUniCharPrioritySort`), before any length is counted: one 4 MiB
    /// name of alternating marks (U+0301 and U+0316, 2 million in one run) kept a core busy for
    /// minutes, the call unstoppable, and a user may run 256 such calls at once (redteam27). With
    /// runs of at most 30 the sort is linear in the text. No text of any language needs more than
    /// 30 marks on one character (UAX #15), so what is stored changes only for such input, which
    /// then stays as marks on a joiner instead of piling onto one letter (the joiner is ignored by
    /// search and the unique names' fold, as every default-ignorable code point is).
    static func streamSafe(_ text: String) -> String {
        var run = 0
        var safe: String.UnicodeScalarView?
        for (offset, scalar) in zip(0..., text.unicodeScalars) {
            let marks = nonStarters(scalar)
            if marks == 0 {
                run = 0
            } else if run + marks > maxNonStartersInARow {
                if safe == nil { safe = String.UnicodeScalarView(text.unicodeScalars.prefix(offset)) }
                safe?.append(combiningGraphemeJoiner)
                run = marks
            } else {
                run += marks
            }
            safe?.append(scalar)
        }
        return safe.map(String.init) ?? text
    }

    /// How many non-starters `scalar` is once decomposed (canonically, or by compatibility for
    /// the unique names' NFKC fold): every code point below U+0300 and most above are starters.
    private static func nonStarters(_ scalar: Unicode.Scalar) -> Int {
        guard scalar.value >= 0x300 else { return 0 }
        switch scalar.value {
        // Tibetan vowel signs of class 0 that decompose into two marks (UAX #15's table).
        case 0x0F73, 0x0F75, 0x0F81: return 2
        // Half-width voiced sound marks: class 0, a mark by compatibility.
        case 0xFF9E, 0xFF9F: return 1
        default: return scalar.properties.canonicalCombiningClass == .notReordered ? 0 : 1
        }
    }

    /// The length of `text` as the schema counts it.
    ///
    /// SQLite's `length()`, which the tables' CHECK constraints use, counts the Unicode code
    /// points of a TEXT value. `String.count` counts grapheme clusters instead: a name of 150
    /// "é" written with a combining accent is 150 of those but 300 code points, so it passed the
    /// validator and then failed the CHECK as INTERNAL. Every limit is counted here, in code points.
    static func length(_ text: String) -> Int {
        // Each code point has one UTF-8 byte that is not a continuation byte (10xxxxxx): counting
        // those in the contiguous bytes is several times faster than decoding the scalars.
        var text = text
        return text.withUTF8 { bytes in
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }

    /// Why `text` may not be stored in a field of `lines`, or nil.
    ///
    /// Control characters (Unicode category Cc: C0, DEL and C1) are refused rather than removed:
    /// SQLite ends a C string at NUL (text was silently cut there), and escape sequences in stored
    /// text reach every terminal that prints it. Line and paragraph separators count as line breaks.
    public static func controlViolation(in text: String, field: String, lines: Lines) -> FieldViolation? {
        guard let refused = firstRefused(in: text, lines: lines) else { return nil }
        // A right-to-left override in a name ("Acme \u{202E}yO enilno") prints reversed in every
        // table and list that shows it, and one left open reverses the columns after it too.
        let rule = lines == .multiple
            ? "must not contain control characters other than line feeds and tabs"
            : refused.value >= 0x202A ? "must be one line without bidirectional formatting characters"
            : "must be one line without control characters"
        return FieldViolation(field: field, reason: "\(rule) (found \(describe(refused)))")
    }

    /// Refuses a name looked up (a user, label or industry) that holds a control character: no
    /// stored name has one, and the "not found" answer would echo it to the caller.
    /// - Throws: `invalidArgument` on `field`.
    public static func refuseControlCharacters(inName name: String, field: String) throws {
        if let violation = controlViolation(in: canonical(name), field: field, lines: .single) {
            throw StoreError.invalidArgument([violation])
        }
    }

    /// The rule of an optional text field for `CustomerValidator.normalise`: at most `maxLength`
    /// code points (the value arrives trimmed, non-empty and free of refused control characters).
    static func atMost(_ maxLength: Int, field: String) -> (String) -> CustomerValidator.Checked {
        { value in
            length(value) <= maxLength ? .success(value) : .failure(tooLong(maxLength, field: field))
        }
    }

    /// A text a record cannot do without: canonical, 1 to `maxLength` code points with at least
    /// one that shows, no refused control characters. Returns the canonical text and, when it is
    /// refused, why (a text refused by ``cannotFit(_:in:)`` comes back trimmed only).
    static func required(_ raw: String, field: String, maxLength: Int,
                         lines: Lines = .single) -> (value: String, violation: FieldViolation?) {
        let tooLong = FieldViolation(field: field, reason: "must be 1 to \(maxLength) characters after trimming")
        let uncomposed = raw.trimmingWhitespace()
        // Composing moves no control character, so the answer is the one composing would lead to.
        if cannotFit(uncomposed, in: maxLength) {
            return (uncomposed, controlViolation(in: uncomposed, field: field, lines: lines) ?? tooLong)
        }
        let trimmed = composed(uncomposed)
        if let violation = controlViolation(in: trimmed, field: field, lines: lines) {
            return (trimmed, violation)
        }
        guard hasVisibleCharacter(trimmed), length(trimmed) <= maxLength else { return (trimmed, tooLong) }
        return (trimmed, nil)
    }

    /// Whether `text` has a code point that is not white space, a combining mark or a character
    /// that does not show (`IgnorableCharacters`: zero-width space, joiners, U+FEFF, the Hangul
    /// fillers): a name of two zero-width spaces passed "1 to 200 characters after trimming" and
    /// listed as a blank row, as one of Hangul fillers (category Lo, yet blank) did until names25.
    /// Text starting with an ASCII letter or digit (nearly every name) is decided by its first byte.
    private static func hasVisibleCharacter(_ text: String) -> Bool {
        if let first = text.utf8.first, first > 0x20, first < 0x7F { return true }
        return text.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .format, .nonspacingMark, .enclosingMark, .spacingMark, .spaceSeparator, .lineSeparator,
                 .paragraphSeparator, .control:
                return false
            default:
                // The category is known here: only the default-ignorable ranges are left to look up
                // (`IgnorableCharacters.isIgnorable` would look the category up again).
                return !IgnorableCharacters.isDefaultIgnorable(scalar)
            }
        }
    }

    /// The first code point of `text` a field of `lines` refuses, found in its UTF-8 bytes.
    ///
    /// Category Cc is fixed by Unicode as U+0000-001F and U+007F-009F, U+2028 and U+2029 are the
    /// only line and paragraph separators, and the bidirectional embeddings, overrides and
    /// isolates are U+202A-202E and U+2066-2069, so their encodings are matched directly: C0 and
    /// DEL are single bytes, C1 is C2 80-9F, the others E2 80 xx and E2 81 xx. Asking each scalar
    /// for its `properties.generalCategory` made a 4 000-character note cost ~0.5 ms to screen.
    private static func firstRefused(in text: String, lines: Lines) -> Unicode.Scalar? {
        var text = text
        return text.withUTF8 { bytes -> Unicode.Scalar? in
            for index in bytes.indices {
                let byte = bytes[index]
                // One comparison chain for the common byte; the rest only at a possible match.
                guard byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2 else { continue }
                var candidate: UInt32?
                if byte < 0x20 || byte == 0x7F {
                    candidate = UInt32(byte)
                } else if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                    candidate = UInt32(bytes[index + 1])
                } else if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80 || bytes[index + 1] == 0x81 {
                    candidate = 0x2000 + UInt32(bytes[index + 1] & 0x3F) << 6 + UInt32(bytes[index + 2] & 0x3F)
                }
                if let candidate, let scalar = Unicode.Scalar(candidate), isRefused(scalar, lines: lines) {
                    return scalar
                }
            }
            return nil
        }
    }

    /// Whether a code point `firstRefused` found is refused in `lines`: a control character, a
    /// separator or a bidirectional control in one line, a control character but line feed and
    /// tab in free text. Free text keeps bidirectional controls: Arabic and Hebrew editors write
    /// isolates into mixed-direction paragraphs, and a note is never a table cell's one line.
    private static func isRefused(_ scalar: Unicode.Scalar, lines: Lines) -> Bool {
        switch scalar.value {
        case 0x2028, 0x2029: return lines == .single
        case 0x202A...0x202E, 0x2066...0x2069: return lines == .single
        case 0x2000...: return false
        default: return lines == .single || (scalar != "\n" && scalar != "\t")
        }
    }


    /// `U+001B`, with the name of the common ones: a message must not carry the character itself.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let names: [UInt32: String] = [0x00: "NUL", 0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return",
                                       0x1B: "escape", 0x7F: "delete"]
        return names[scalar.value].map { "\(code) (\($0))" } ?? code
    }
}
