/// Format characters (Unicode category Cf: soft hyphen, zero-width space and joiners, word joiner,
/// U+FEFF and the like): they do not show, so two texts differing only by them print the same.
/// Search and duplicates (`SearchKey.fold`) and unique names (`UniqueName.fold`) ignore them, by
/// this one rule.
enum FormatCharacters {
    /// `text` without its format characters; `text` itself when it has none (most).
    static func removed(from text: String) -> String {
        guard text.unicodeScalars.contains(where: isFormat) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isFormat($0) }))
    }

    /// Below U+00AD (the soft hyphen, the first of them) nothing is one: ASCII and most of Latin-1
    /// skip the property lookup.
    static func isFormat(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0xAD && scalar.properties.generalCategory == .format
    }
}
