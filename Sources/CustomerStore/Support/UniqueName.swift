import Foundation
import SQLiteEngine

/// A table whose rows are unique by name, and the key they are unique by: the `name_fold` column,
/// the name's identifier fold (`fold`: compatibility forms, case and characters that do not
/// show folded away), UNIQUE within the row's scope.
///
/// The names were unique under SQLite's `NOCASE`, which folds A-Z only: "ÉCOLE" and "école" were
/// two keywords, as they could be two industries, profiles, users or sibling segments, and a
/// lookup of one never found the other. Every insert, rename and lookup by name goes through
/// the fold key instead (`Migrations.nameFolds` filled it for the rows stored before).
struct UniqueName: Sendable {
    let table: String
    /// What a row is called in a message, unless its caller says (a label is a keyword or a role).
    let what: String
    /// The SQL expression of the key's part besides the name (labels are unique per kind,
    /// segments per parent), or nil.
    let scope: String?
    /// The name column's length limit (its CHECK), which a name renamed by the migration keeps.
    let maxLength: Int
    /// The UNIQUE index on the scope and the fold key.
    let index: String

    static let users = UniqueName(table: "users", what: "user", scope: nil, maxLength: CustomerStore.maxUserName,
                                  index: "users_by_name_fold")
    static let profiles = UniqueName(table: "permission_profiles", what: "permission profile", scope: nil,
                                     maxLength: CustomerStore.maxProfileName, index: "permission_profiles_by_name_fold")
    static let industries = UniqueName(table: "industries", what: "industry", scope: nil,
                                       maxLength: CustomerValidator.maxIndustry, index: "industries_by_name_fold")
    static let labels = UniqueName(table: "labels", what: "label", scope: "kind", maxLength: CustomerStore.maxLabelName,
                                   index: "labels_by_kind_name_fold")
    static let segments = UniqueName(table: "segments", what: "segment", scope: "ifnull(parent_id, 0)",
                                     maxLength: CustomerStore.maxSegmentName, index: "segments_by_parent_name_fold")
    static let all = [users, profiles, industries, labels, segments]

    /// The key `name` (already canonical: trimmed, NFC) is unique by, Unicode's identifier fold
    /// (NFKC_Casefold, UAX #31): compatibility forms mapped (NFKC: full-width "ＡＣＭＥ" is "ACME",
    /// "ﬁ" is "fi", a no-break space a space), full case folding ("ÉCOLE", "École" and "école" are
    /// one key, "STRAẞE" and "strasse" one), characters that do not show dropped as search and
    /// duplicates drop them (`IgnorableCharacters`: "VI\u{200B}P" and "VIP\u{FE0F}", which print
    /// as "VIP", are "vip"; "A\u{3164}B" is "ab"), then NFKC again, as folding may decompose ("ǰ"
    /// folds to "j" and a combining caron). Two names that print alike were two keywords a contact
    /// could be given either of (unicode23's and fold24's known gaps). Accents are kept: "ecole"
    /// and "école" are different words (in French, as "Müller" and "Muller" are different names),
    /// so both may exist, while search, which folds accents too, finds either by the other.
    ///
    /// A name that shows nothing is refused on input (`TextInput.required`), but older servers
    /// stored some (a keyword of Hangul fillers): its key is its folded text with the invisible
    /// characters kept, which no other name's key can equal (every other key is free of them), so
    /// migration 27 never fails on such a row, and a lookup by the name as stored still finds it
    /// for its rename or deletion.
    ///
    /// ASCII names (most) fold as their lower case, without Foundation's ~10 000 instructions:
    /// ASCII is its own NFKC form and holds no ignorable character.
    static func fold(_ name: String) -> String {
        if name.isAllASCII { return name.lowercased() }
        let folded = name.precomposedStringWithCompatibilityMapping.folding(options: [.caseInsensitive], locale: nil)
        let shown = IgnorableCharacters.removed(from: folded)
        return shown.isEmpty ? folded : shown.precomposedStringWithCompatibilityMapping
    }

    /// The key a lookup by a name as given binds (`name_fold = ?`): canonical first (trimmed, NFC),
    /// then folded, so a name found is the one an insert of it would have been refused for.
    static func lookupKey(_ given: String) -> SQLValue {
        .text(fold(TextInput.canonical(given)))
    }

    /// Refuses `name` (canonical) when another row of this table in `scope` has its fold key:
    /// `ALREADY_EXISTS` on `field`, naming the row that has it, as it is spelled.
    /// - Parameters:
    ///   - scope: the scope's value (the label's kind, the segment's parent id or 0); nil when the table has none.
    ///   - id: the row being renamed, which may take its own name in another case.
    ///   - what: what the row is called, when not `self.what`.
    func requireFree(_ connection: SQLiteConnection, name: String, scope value: SQLValue? = nil, except id: Int64? = nil,
                     field: String = "name", what: String? = nil) throws {
        let sql = "SELECT name FROM \(table) WHERE name_fold = ?1 AND id IS NOT ?2" + (scope.map { " AND \($0) = ?3" } ?? "")
        let taken = try connection.withStatement(sql) { statement in
            try statement.bind([.text(Self.fold(name)), SQLValue(id)] + (value.map { [$0] } ?? []))
            return try statement.step() ? statement.text(0) : nil
        }
        if let taken {
            throw StoreError.alreadyExists("is already taken by the \(what ?? self.what) '\(taken)' (names are compared "
                + "as they print: ignoring case, compatibility forms and characters that do not show)", field: field)
        }
    }
}
