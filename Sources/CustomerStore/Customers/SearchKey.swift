import Foundation

/// Case- and accent-insensitive keys for sorting and searching customers.
///
/// Keys are computed in Swift when a row is written (SQLite's own `lower()` and `LIKE` fold only
/// ASCII) and stored, so queries compare plain text and can use indexes.
enum SearchKey {
    /// "Müller" -> "muller", "ÅS" -> "as", "Ac\u{200B}me" -> "acme".
    ///
    /// Characters that do not show (`IgnorableCharacters`: zero-width space and joiners, soft
    /// hyphen, U+FEFF, Hangul fillers; variation selectors go with the accents) are dropped, so
    /// "Ac\u{200B}me Oy" pasted from a web page, which prints as "Acme Oy", is found by "acme" and
    /// paired by duplicate detection, whose name key is this fold, with the "Acme Oy" stored.
    ///
    /// ASCII text (most names, and every number, email and identifier) has no diacritics, so its
    /// fold is its lower case; Foundation's `folding` costs ~10 000 instructions a call (callgrind,
    /// a create folds four texts), `lowercased()` on ASCII a few hundred.
    static func fold(_ text: String) -> String {
        if text.isAllASCII { return text.lowercased() }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return folded.isAllASCII ? folded : IgnorableCharacters.removed(from: folded)
    }

    /// The text a search matches: folded name, number, VAT number, email and business id without
    /// separators, one per line so a term never matches across two fields.
    static func searchText(of fields: StoredCustomerFields, number: Int64) -> String {
        SearchParts(fields).text(number: number)
    }

    /// A customer's name key and search text apart from its number, which an import gives a row
    /// only on its writer: the folding is done beforehand, beside the writer (`CustomerImportPipeline`).
    struct SearchParts: Sendable, Hashable {
        /// The folded name (the `name_key` column, the search text's first line).
        let nameKey: String
        /// The search text's lines after the number.
        private let rest: String

        init(_ fields: StoredCustomerFields) {
            nameKey = fold(fields.name)
            var rest = fold(fields.vatNumber ?? "")
            rest += "\n"
            rest += fold(fields.email ?? "")
            rest += "\n"
            rest += fold(IdentifierText.compact(fields.businessID ?? ""))
            self.rest = rest
        }

        func text(number: Int64) -> String {
            var bytes: [UInt8] = []
            append(number: number, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }

        /// `text(number:)`'s UTF-8 bytes appended to `bytes` (`BoundRows.appendText`: no `String` between).
        func append(number: Int64, to bytes: inout [UInt8]) {
            bytes += nameKey.utf8
            bytes.append(UInt8(ascii: "\n"))
            DecimalBytes.append(number, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
            bytes += rest.utf8
        }
    }

    /// A term that may be an identifier typed with separators (`0250345-3`, `fi 0250345 3`),
    /// reduced as stored VAT numbers and business ids are (`02503453`, `fi02503453`); `nil` when
    /// the term has no digit (a name) or nothing to reduce, so names are matched as typed.
    static func identifierTerm(_ term: String) -> String? {
        guard term.contains(where: \.isNumber) else { return nil }
        let compact = fold(IdentifierText.compact(term))
        return compact.isEmpty || compact == term ? nil : compact
    }

    /// The folded, trimmed search term, or `nil` when there is nothing to search for.
    static func term(_ search: String?) -> String? {
        guard let search else { return nil }
        let folded = fold(search.trimmingWhitespace())
        return folded.isEmpty ? nil : folded
    }

    /// A `LIKE ... ESCAPE '\'` pattern matching `term` anywhere; `%`, `_` and `\` in the term
    /// are escaped so they match themselves.
    static func containsPattern(_ term: String) -> String {
        var pattern = "%"
        for character in term {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        pattern.append("%")
        return pattern
    }
}
