import Foundation
import SQLiteEngine

extension CustomerStore {
    /// Assigns existing keywords and roles to a contact; ones it already carries are left alone.
    ///
    /// - Throws: `notFound`; `failedPrecondition` when deleted; `invalidArgument` naming each
    ///   unknown label on field `keywords` or `roles`.
    public func tagContact(id: Int64, keywords: [String], roles: [String], by author: Author) throws -> StoredContact {
        try retag(id: id, keywords: keywords, roles: roles, action: .tagged, by: author,
                  sql: "INSERT OR IGNORE INTO contact_labels (contact_id, label_id) VALUES (?, ?)")
    }

    /// Unassigns keywords and roles from a contact; ones it does not carry are ignored.
    ///
    /// - Throws: as `tagContact`.
    public func untagContact(id: Int64, keywords: [String], roles: [String], by author: Author) throws -> StoredContact {
        try retag(id: id, keywords: keywords, roles: roles, action: .untagged, by: author,
                  sql: "DELETE FROM contact_labels WHERE contact_id = ? AND label_id = ?")
    }

    /// Runs `sql` for each label; when the labels really changed, the contact is written (version
    /// +1, updated at/by) and a history entry lists the keywords / roles before and after.
    private func retag(id: Int64, keywords: [String], roles: [String], action: HistoryAction, by author: Author,
                       sql: String) throws -> StoredContact {
        try write { connection in
            let current = try liveContact(connection, id: id, expectedVersion: nil)
            let labels = try Self.labelIDs(connection, keywords: keywords, roles: roles, violations: [])
            try Self.requireActingUser(connection, author)
            var changed = false
            for label in labels {
                try connection.run(sql, [.integer(id), .integer(label)])
                changed = changed || connection.changes > 0
            }
            guard changed else { return current }
            return try recordRelabelled(connection, current, action, by: author)
        }
    }
}

extension CustomerStore {
    /// Runs `change` (a rename or removal of one label) and writes every contact that carried the
    /// label as `retag` does (see `recordRelabelled`).
    func recordLabelChange(_ connection: SQLiteConnection, label: Int64, _ action: HistoryAction, by author: Author,
                           _ change: () throws -> Void) throws {
        let carriers = try connection.withStatement("SELECT contact_id FROM contact_labels WHERE label_id = ? ORDER BY contact_id") { statement in
            try statement.bind(label, at: 1)
            var ids: [Int64] = []
            while try statement.step() { ids.append(statement.int64(0)) }
            return ids
        }
        let before = try carriers.map { try requireContact(connection, id: $0) }
        try change()
        for current in before { _ = try recordRelabelled(connection, current, action, by: author) }
    }

    /// Writes a contact whose labels changed (it was `current` before): version +1, updated at/by,
    /// and a history entry with the keywords / roles before and after. Returns it as it is now.
    private func recordRelabelled(_ connection: SQLiteConnection, _ current: StoredContact, _ action: HistoryAction,
                                  by author: Author) throws -> StoredContact {
        let now = nextUpdatedAt(after: current.updatedAt)
        try connection.run("UPDATE contacts SET version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
                           [.integer(now), .integer(author.userID), .integer(current.id)])
        let updated = try requireContact(connection, id: current.id)
        try HistoryLog.append(connection, .contact, id: current.id, customerID: current.customerID, action, at: now,
                              by: author, changes: HistoryLog.changes(from: current.labelHistoryValues,
                                                                      to: updated.labelHistoryValues))
        return updated
    }
}

extension StoredContact {
    /// The keywords and roles as the history records them: names joined by ", ", nil when none.
    var labelHistoryValues: HistoryLog.Values {
        func joined(_ names: [String]) -> String? { names.isEmpty ? nil : names.joined(separator: ", ") }
        return [("keywords", joined(keywords)), ("roles", joined(roles))]
    }
}
