/// Characters that do not show: Unicode's default-ignorable code points and the format characters
/// (category Cf). Two texts differing only by them print the same. Search, sorting and duplicates
/// (`SearchKey.fold`), unique names (`UniqueName.fold`) and the "shows something" rule of every
/// required text (`TextInput.required`) ignore them, by this one rule.
///
/// The format characters that are not default-ignorable (the Arabic number signs U+0600–0605, the
/// Egyptian hieroglyph format controls, the interlinear annotation marks) stay in the rule: search
/// keys stored since unicode22 were made without them, and a key that kept them now would miss
/// its own row. The few that show only prefix digits: folding them away joins near-identical
/// names, never two different words.
enum IgnorableCharacters {
    /// `text` without its ignorable characters; `text` itself when it has none (most).
    static func removed(from text: String) -> String {
        guard text.unicodeScalars.contains(where: isIgnorable) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isIgnorable($0) }))
    }

    /// Below U+00AD (the soft hyphen, the first of them) nothing is one: ASCII and most of Latin-1
    /// skip the lookups.
    static func isIgnorable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0xAD && (isDefaultIgnorable(scalar) || scalar.properties.generalCategory == .format)
    }

    /// Default_Ignorable_Code_Point, the set NFKC_Casefold (UAX #31's identifier fold) drops, as
    /// Unicode's DerivedCoreProperties.txt lists it, assigned or not; the same ranges from 14.0
    /// (U+180F the last added) to 17.0, so for Foundation's normalization here (Unicode 15) as for
    /// the standard library's tables (17.0). Here rather than the standard library's
    /// `isDefaultIgnorableCodePoint`, which IgnorableCharactersTests compares it with for every
    /// code point: that lookup costs about 310 instructions a scalar (callgrind: +15 000 on the
    /// search fold of a 48-character Cyrillic name, 55 300 before, +27 %), these comparisons about
    /// 50 (+2 400, +4 %).
    static func isDefaultIgnorable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x034F, 0x061C,
             0x115F...0x1160, 0x3164, 0xFFA0,  // Hangul fillers
             0x17B4...0x17B5,  // Khmer inherent vowels
             0x180B...0x180F,  // Mongolian free variation selectors and vowel separator
             0x200B...0x200F, 0x202A...0x202E, 0x2060...0x206F, 0xFEFF,  // zero widths, joiners, marks, bidi
             0xFE00...0xFE0F, 0xE0100...0xE01EF,  // variation selectors
             0xFFF0...0xFFF8, 0x1BCA0...0x1BCA3, 0x1D173...0x1D17A,
             0xE0000...0xE00FF, 0xE01F0...0xE0FFF:  // tags and reserved
            return true
        default:
            return false
        }
    }
}
