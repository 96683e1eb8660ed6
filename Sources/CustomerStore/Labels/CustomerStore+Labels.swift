import Foundation
import SQLiteEngine
import ServiceLog

extension CustomerStore {
    static let maxLabelName = 100
    /// Distinct keywords, and distinct roles, one request may name: each is looked up inside the
    /// caller's write transaction, so 4 MiB of names would hold every other write for as long.
    static let maxLabelsPerRequest = 1000

    /// Adds a keyword or role to its managed list.
    /// - Throws: `invalidArgument` on `name` (blank or too long); `alreadyExists` on `name`
    ///   (compared by `UniqueName.fold`: case, in every script), naming the label that has it.
    public func createLabel(_ kind: LabelKind, name: String) throws -> StoredLabel {
        let name = try Self.validName(name, maxLength: Self.maxLabelName, field: "name")
        return try write { connection in
            try UniqueName.labels.requireFree(connection, name: name, scope: .text(kind.rawValue), what: kind.rawValue)
            try connection.run("INSERT INTO labels (kind, name, name_fold) VALUES (?, ?, ?)",
                               [.text(kind.rawValue), .text(name), .text(UniqueName.fold(name))])
            return StoredLabel(id: connection.lastInsertRowID, kind: kind, name: name, contactCount: 0)
        }
    }

    /// Renames a keyword or role; the contacts carrying it carry the new name, and each records
    /// it in its history (an `updated` entry), so the change feed tells copies of them. Renaming it
    /// to the name it has writes nothing.
    /// - Throws: `notFound`; `invalidArgument` on `newName`; `alreadyExists` on `name`.
    public func renameLabel(_ kind: LabelKind, name: String, to newName: String, by author: Author) throws -> StoredLabel {
        let validName = try Self.validName(newName, maxLength: Self.maxLabelName, field: "newName")
        return try write { connection in
            let label = try Self.requireLabel(connection, kind, name: name)
            try UniqueName.labels.requireFree(connection, name: validName, scope: .text(kind.rawValue), except: label.id,
                                              what: kind.rawValue)
            try Self.requireActingUser(connection, author)
            // Renamed to the name it has: no contact written (as an update that changes nothing).
            if HistoryLog.isUnchanged(from: [SQLValue(label.name)], to: [SQLValue(validName)]) { return label }
            try recordLabelChange(connection, label: label.id, .updated, by: author) {
                try connection.run("UPDATE labels SET name = ?, name_fold = ? WHERE id = ?",
                                   [.text(validName), .text(UniqueName.fold(validName)), .integer(label.id)])
            }
            return try Self.requireLabel(connection, kind, name: validName)
        }
    }

    /// Deletes a keyword or role. One still carried by contacts is only deleted with `force`,
    /// which unassigns it from them.
    ///
    /// - Returns: the number of contacts it was unassigned from.
    /// - Throws: `notFound`; `failedPrecondition` when in use and not forced.
    public func deleteLabel(_ kind: LabelKind, name: String, force: Bool, by author: Author) throws -> Int64 {
        try write { connection in
            let label = try Self.requireLabel(connection, kind, name: name)
            if label.contactCount > 0, !force {
                let contacts = label.contactCount == 1 ? "1 contact carries" : "\(label.contactCount) contacts carry"
                throw StoreError.failedPrecondition("\(contacts) the \(kind.rawValue) '\(label.name)': "
                    + "delete it with force=true to unassign it from them", field: "force")
            }
            try Self.requireActingUser(connection, author)
            // Each contact that loses it records an `untagged` entry, as if untagged one by one.
            try recordLabelChange(connection, label: label.id, .untagged, by: author) {
                try connection.run("DELETE FROM contact_labels WHERE label_id = ?", [.integer(label.id)])
            }
            try connection.run("DELETE FROM labels WHERE id = ?", [.integer(label.id)])
            return label.contactCount
        }
    }

    /// Every keyword or every role with its contact count, by name.
    public func labels(_ kind: LabelKind) throws -> [StoredLabel] {
        try readOne { connection in
            try connection.withStatement(Self.labelSelect + " WHERE l.kind = ? ORDER BY l.name, l.id") { statement in
                try statement.bind(.text(kind.rawValue), at: 1)
                var labels: [StoredLabel] = []
                while try statement.step() { labels.append(try Self.decodeLabel(statement)) }
                return labels
            }
        }
    }

    // MARK: Helpers

    private static let labelSelect = """
        SELECT l.id, l.kind, l.name, (SELECT count(*) FROM contact_labels cl WHERE cl.label_id = l.id) AS contact_count
        FROM labels l
        """

    private static func decodeLabel(_ statement: SQLiteStatement) throws -> StoredLabel {
        StoredLabel(id: try statement.int64("id"), kind: LabelKind(rawValue: try statement.text("kind")) ?? .keyword,
                    name: try statement.text("name"), contactCount: try statement.int64("contact_count"))
    }

    /// The label of this kind and name (compared by `UniqueName.fold`), or nil.
    static func label(_ connection: SQLiteConnection, _ kind: LabelKind, name: String) throws -> StoredLabel? {
        try connection.withStatement(labelSelect + " WHERE l.kind = ? AND l.name_fold = ?") { statement in
            try statement.bind([.text(kind.rawValue), UniqueName.lookupKey(name)])
            return try statement.step() ? try decodeLabel(statement) : nil
        }
    }

    private static func requireLabel(_ connection: SQLiteConnection, _ kind: LabelKind, name: String) throws -> StoredLabel {
        try TextInput.refuseControlCharacters(inName: name, field: "name")
        guard let label = try label(connection, kind, name: name) else {
            throw StoreError.notFound("no \(kind.rawValue) is named \(TerminalText.quoted(TextInput.canonical(name)))", field: "name")
        }
        return label
    }

    /// The ids of the named keywords and roles; unknown names are added to `violations` (on field
    /// `fields.keywords` or `fields.roles`, naming the label) and then every violation is thrown together.
    static func labelIDs(_ connection: SQLiteConnection, keywords: [String], roles: [String],
                         fields: (keywords: String, roles: String) = ("keywords", "roles"),
                         violations: [FieldViolation]) throws -> [Int64] {
        var violations = violations
        var ids: [Int64] = []
        for (names, field) in [(keywords, fields.keywords), (roles, fields.roles)] where names.count > maxLabelsPerRequest {
            let distinct = Set(names).count
            if distinct > maxLabelsPerRequest {
                throw StoreError.invalid(field, "at most \(maxLabelsPerRequest) distinct names, got \(distinct)")
            }
        }
        for (kind, names, field) in [(LabelKind.keyword, keywords, fields.keywords), (.role, roles, fields.roles)] {
            // Each name once: this runs inside the write transaction, and a 4 MiB request repeating
            // one name a million times looked it up (and the caller wrote it) a million times,
            // every other write waiting; the distinct-name cap above does not count copies.
            var seen = Set<String>()
            for name in names {
                let trimmed = TextInput.canonical(name)
                guard seen.insert(trimmed).inserted else { continue }
                if let violation = TextInput.controlViolation(in: trimmed, field: field, lines: .single) {
                    violations.append(violation)
                } else if let label = try label(connection, kind, name: trimmed) {
                    ids.append(label.id)
                } else {
                    violations.append(FieldViolation(
                        field: field, reason: "no \(kind.rawValue) is named \(TerminalText.quoted(trimmed)); create it first"))
                }
            }
        }
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        return ids
    }
}
