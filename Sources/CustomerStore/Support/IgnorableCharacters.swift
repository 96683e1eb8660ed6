/// Characters that do not show: Unicode's default-ignorable code points and the format characters
/// (category Cf). Two texts differing only by them print the same. Search, sorting and duplicates
/// (`SearchKey.fold`), unique names (`UniqueName.fold`) and the "shows something" rule of every
/// required text (`TextInput.required`) ignore them, by this one rule.
///
/// Default_Ignorable_Code_Point is the set NFKC_Casefold (UAX #31's identifier fold) drops:
/// Unicode's DerivedCoreProperties.txt, which the Swift standard library's
/// `isDefaultIgnorableCodePoint` is generated from (Unicode 17.0 in Swift 6.3), the same ranges as in
/// Unicode 15, the version Foundation's normalization implements here (U+180F was the last added,
/// in 14.0): U+00AD, U+034F, U+061C, U+115F–1160 and U+3164 and U+FFA0 (Hangul fillers), U+17B4–17B5,
/// U+180B–180F (Mongolian selectors), U+200B–200F, U+202A–202E, U+2060–206F, U+FE00–FE0F and
/// U+E0100–E01EF (variation selectors), U+FEFF, U+FFF0–FFF8, U+1BCA0–1BCA3, U+1D173–1D17A and the
/// rest of U+E0000–E0FFF (tags, reserved), assigned or not. IgnorableCharactersTests pins the list.
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
    /// skip the property lookups.
    static func isIgnorable(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0xAD else { return false }
        let properties = scalar.properties
        return properties.isDefaultIgnorableCodePoint || properties.generalCategory == .format
    }
}
