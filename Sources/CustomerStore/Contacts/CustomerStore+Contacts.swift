import Foundation
import SQLiteEngine

extension CustomerStore {
    /// Creates an active contact person of a customer with the given keywords and roles (existing labels).
    ///
    /// - Throws: `notFound` (customer); `invalidArgument` listing every invalid field, including
    ///   unknown labels on fields `keywords` / `roles`; `brokenRule` for an unknown acting user.
    public func createContact(customerID: Int64, _ fields: StoredContactFields, keywords: [String], roles: [String],
                              by author: Author) throws -> StoredContact {
        try write { connection in
            try createContact(connection, customerID: customerID, fields, keywords: keywords, roles: roles, by: author)
        }
    }

    /// `createContact` inside the caller's write transaction.
    func createContact(_ connection: SQLiteConnection, customerID: Int64, _ fields: StoredContactFields, keywords: [String],
                       roles: [String], by author: Author) throws -> StoredContact {
        let (columns, violations) = ContactValidator.validate(fields, onto: ContactColumns())
        try Self.requireWritableCustomer(connection, customerID: customerID)
        let labels = try Self.labelIDs(connection, keywords: keywords, roles: roles, violations: violations)
        try Self.requireActingUser(connection, author)
        let now = nowMilliseconds()
        try connection.run(Self.insertContacts.oneRowSQL, Self.insertValues(of: columns, customerID: customerID, at: now, by: author))
        let id = connection.lastInsertRowID
        try connection.insertRows(Self.insertContactLabels, labels.map { [.integer(id), .integer($0)] })
        try HistoryLog.append(connection, .contact, id: id, customerID: customerID, .created, at: now, by: author,
                              changes: HistoryLog.creation(columns.historyValues))
        return try requireContact(connection, id: id)
    }

    /// New contacts' rows, bound to `insertValues(of:customerID:at:by:id:)`; the id NULL lets SQLite choose it.
    static let insertContacts = MultiRowInsert(
        into: "contacts",
        columns: ["id", "customer_id", "first_name", "last_name", "title", "email", "phone", "mobile", "language", "notes",
                  "active", "deleted", "version", "created_at", "created_by", "updated_at", "updated_by"],
        row: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 1, ?, ?, ?, ?)")

    static func insertValues(of columns: ContactColumns, customerID: Int64, at now: Int64, by author: Author,
                             id: Int64? = nil) -> [SQLValue] {
        [SQLValue(id), .integer(customerID)] + columns.values
            + [.integer(now), .integer(author.userID), .integer(now), .integer(author.userID)]
    }

    /// A contact's labels, `[contact id, label id]` a row; a label named twice is written once.
    static let insertContactLabels = MultiRowInsert("INSERT OR IGNORE", into: "contact_labels", columns: ["contact_id", "label_id"])

    /// Changes the given fields of a contact (partial; an empty string clears a field); when every
    /// given field equals the stored one once normalised, nothing is written and the contact is
    /// returned as it is (no version, no history entry, no feed event).
    ///
    /// - Throws: `notFound`; `failedPrecondition` when deleted; `aborted` on a stale
    ///   `expectedVersion`; `invalidArgument` listing every invalid field.
    public func updateContact(id: Int64, _ fields: StoredContactFields, expectedVersion: Int64?,
                              by author: Author) throws -> StoredContact {
        try write { connection in
            let current = try liveContact(connection, id: id, expectedVersion: expectedVersion)
            let before = ContactColumns(current)
            let (columns, violations) = ContactValidator.validate(fields, onto: before)
            if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
            try Self.requireActingUser(connection, author)
            // Every given field as stored: the contact as it is, nothing written (as a customer's update).
            if HistoryLog.isUnchanged(from: before.historyValues, to: columns.historyValues) { return current }
            let now = nextUpdatedAt(after: current.updatedAt)
            try connection.run("""
                UPDATE contacts SET first_name = ?, last_name = ?, title = ?, email = ?, phone = ?, mobile = ?,
                    language = ?, notes = ?, version = version + 1, updated_at = ?, updated_by = ?
                WHERE id = ?
                """, columns.values + [.integer(now), .integer(author.userID), .integer(id)])
            try HistoryLog.append(connection, .contact, id: id, customerID: current.customerID, .updated, at: now,
                                  by: author, changes: HistoryLog.changes(from: before.historyValues,
                                                                          to: columns.historyValues))
            return try requireContact(connection, id: id)
        }
    }

    /// The contact with this id; a deleted one is returned as its tombstone. - Throws: `notFound`.
    public func contact(id: Int64) throws -> StoredContact {
        try read { try requireContact($0, id: id) }
    }

    /// A customer's contacts by name: active ones, plus deactivated ones when asked; deleted never.
    /// - Throws: `notFound` (customer).
    public func contacts(customerID: Int64, includeDeactivated: Bool) throws -> [StoredContact] {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try ContactRow.fetchAll(connection, customerID: customerID, includeDeactivated: includeDeactivated)
        }
    }

    /// Activates or deactivates a contact (a deactivated one is hidden from the normal list); one
    /// already so is returned as it is, nothing written (as an update that changes nothing).
    /// - Throws: `notFound`; `failedPrecondition` when deleted; `aborted` on a stale `expectedVersion`.
    public func setContactActive(id: Int64, _ active: Bool, expectedVersion: Int64?, by author: Author) throws -> StoredContact {
        try write { connection in
            let current = try liveContact(connection, id: id, expectedVersion: expectedVersion)
            try Self.requireActingUser(connection, author)
            let changes = HistoryLog.activeChange(from: current.active, to: active)
            if changes.isEmpty { return current }
            let now = nextUpdatedAt(after: current.updatedAt)
            try connection.run("""
                UPDATE contacts SET active = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?
                """, [.integer(active ? 1 : 0), .integer(now), .integer(author.userID), .integer(id)])
            try HistoryLog.append(connection, .contact, id: id, customerID: current.customerID,
                                  active ? .activated : .deactivated, at: now, by: author, changes: changes)
            return try requireContact(connection, id: id)
        }
    }

    /// Deletes a contact for good, in one transaction: every personal field is erased (NULL), its
    /// keywords and roles are unassigned, its history keeps its entries but loses their values,
    /// and only a tombstone (id, customer id, `deleted`) stays so references remain valid and
    /// show "Contact deleted". Deleting a deleted contact returns the tombstone unchanged.
    ///
    /// - Throws: `notFound`.
    public func deleteContact(id: Int64, by author: Author) throws -> StoredContact {
        try write { connection in
            let current = try requireContact(connection, id: id)
            if current.deleted { return current }
            try Self.requireActingUser(connection, author)
            try erase(connection, contact: current, by: author)
            return try requireContact(connection, id: id)
        }
    }

    /// Erases one live contact inside the caller's transaction (see ``deleteContact(id:by:)``).
    /// The writer zeroes the freed bytes (`secure_delete`) and truncates the log after the commit,
    /// so the old values are in neither file once the call is answered.
    func erase(_ connection: SQLiteConnection, contact current: StoredContact, by author: Author) throws {
        let now = nextUpdatedAt(after: current.updatedAt)
        try connection.run("""
            UPDATE contacts SET first_name = NULL, last_name = NULL, title = NULL, email = NULL, phone = NULL,
                mobile = NULL, language = NULL, notes = NULL, active = 0, deleted = 1, version = version + 1,
                updated_at = ?, updated_by = ?
            WHERE id = ?
            """, [.integer(now), .integer(author.userID), .integer(current.id)])
        try connection.run("DELETE FROM contact_labels WHERE contact_id = ?", [.integer(current.id)])
        let earlier = try HistoryLog.eraseValues(connection, .contact, id: current.id)
        try HistoryLog.append(connection, .contact, id: current.id, customerID: current.customerID, .deleted, at: now,
                              by: author)
        try Self.forgetAnswers(connection, mentioning: earlier + [current.firstName, current.lastName, current.title,
                                                                  current.email, current.phone, current.mobile, current.notes])
        checkpointer.truncateLogAfterCommit()
    }

    // MARK: Helpers

    func requireContact(_ connection: SQLiteConnection, id: Int64) throws -> StoredContact {
        guard let contact = try ContactRow.fetch(connection, id: id) else {
            throw StoreError.notFound("contact \(id) does not exist")
        }
        return contact
    }

    /// The stored contact for a change: it must exist, not be deleted, and match `expectedVersion`.
    func liveContact(_ connection: SQLiteConnection, id: Int64, expectedVersion: Int64?) throws -> StoredContact {
        let current = try requireContact(connection, id: id)
        if current.deleted { throw StoreError.deletedContact(id, field: "id") }
        try Self.checkVersion(expectedVersion, current: current.version, of: "contact \(id)")
        return current
    }
}
