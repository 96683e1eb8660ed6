import SQLiteEngine

/// What a history entry records.
enum HistoryAction: String, Sendable {
    case created, updated, deactivated, activated, deleted, headOfficeSet, tagged, untagged
    case won, lost, completed, reopened, forecastSet, forecastRemoved, issued
    /// A customer was merged into another (schema version 13): on both customers.
    case merged
}

/// Writes and reads the change history (tables `history` and `history_changes`).
///
/// Every write of a customer, address or contact appends its entry through `append` on the same
/// connection, inside the caller's transaction, so the record and its history commit together.
enum HistoryLog {
    /// A record's fields by API name, as text, in a fixed order.
    typealias Values = [(field: String, value: String?)]

    /// The fields whose value differs between two snapshots of the same record (same field order).
    static func changes(from old: Values, to new: Values) -> [StoredFieldChange] {
        zip(old, new).compactMap { before, after in
            before.value == after.value
                ? nil : StoredFieldChange(field: after.field, oldValue: before.value, newValue: after.value)
        }
    }

    /// A new record's values as changes from nothing, so a created entry (and the change feed's
    /// event for it) carries what the record was created with; fields left empty are not listed.
    static func creation(_ values: Values) -> [StoredFieldChange] {
        values.compactMap { field, value in value.map { StoredFieldChange(field: field, oldValue: nil, newValue: $0) } }
    }

    /// The `active` field's change for an activate/deactivate entry; none when it did not change.
    static func activeChange(from old: Bool, to new: Bool) -> [StoredFieldChange] {
        old == new ? [] : [StoredFieldChange(field: "active", oldValue: String(old), newValue: String(new))]
    }

    /// Appends one entry with its field changes, recording the author whole: the person, the
    /// trusted service it came through and its source.
    static func append(_ connection: SQLiteConnection, _ entity: HistoryEntity, id: Int64, customerID: Int64,
                       _ action: HistoryAction, at: Int64, by author: Author, changes: [StoredFieldChange] = []) throws {
        try append(connection, [NewEntry(entity: entity, id: id, customerID: customerID, action: action, at: at,
                                         author: author, changes: changes)])
    }

    /// One entry of `append(_:_:)`.
    struct NewEntry {
        var entity: HistoryEntity
        var id: Int64
        var customerID: Int64
        var action: HistoryAction
        var at: Int64
        var author: Author
        var changes: [StoredFieldChange]
    }

    /// Appends entries with one INSERT per 64 entries and one per 64 field changes: a created
    /// customer's ~10 changes were ~10 statements, a bulk import's rows two statements per 64.
    /// The entries' ids are given here (the next ones of the table), so that their changes can
    /// name them in the same statement.
    static func append(_ connection: SQLiteConnection, _ entries: [NewEntry]) throws {
        guard let only = entries.first else { return }
        let first: Int64
        if entries.count == 1 {
            // One entry (every write but an import's batch): SQLite chooses the id; reading the
            // next one first cost a create ~12 800 instructions (callgrind).
            try connection.insertRows(insertEntries, [values(of: only, id: .null)])
            first = connection.lastInsertRowID
        } else {
            first = try connection.nextAutoincrementID("history")
            try connection.insertRows(insertEntries, entries.enumerated().map { offset, entry in
                values(of: entry, id: .integer(first + Int64(offset)))
            })
        }
        var changes: [[SQLValue]] = []
        for (offset, entry) in entries.enumerated() {
            for (position, change) in entry.changes.enumerated() {
                changes.append([.integer(first + Int64(offset)), .integer(Int64(position)), .text(change.field),
                                SQLValue(change.oldValue), SQLValue(change.newValue)])
            }
        }
        try connection.insertRows(insertChanges, changes)
    }

    /// `insertEntries`' values of one entry; `id` NULL lets SQLite choose it.
    private static func values(of entry: NewEntry, id: SQLValue) -> [SQLValue] {
        [id, .text(entry.entity.rawValue), .integer(entry.id), .integer(entry.customerID), .text(entry.action.rawValue),
         .integer(entry.at), .integer(entry.author.userID), SQLValue(entry.author.source), SQLValue(entry.author.viaUserID)]
    }

    private static let insertEntries = MultiRowInsert(
        into: "history", columns: ["id", "entity", "entity_id", "customer_id", "action", "at", "by_user", "source", "via_user"])

    private static let insertChanges = MultiRowInsert(
        into: "history_changes", columns: ["history_id", "position", "field", "old_value", "new_value"])

    /// Erases every value ever recorded for one record (the entries and field names stay).
    /// - Returns: the values it erased, so that copies elsewhere can go too (not the `active`
    ///   flags: "true" says nothing of anyone).
    @discardableResult
    static func eraseValues(_ connection: SQLiteConnection, _ entity: HistoryEntity, id: Int64) throws -> [String] {
        let erased = try connection.withStatement("""
            SELECT ch.old_value, ch.new_value FROM history_changes ch JOIN history h ON h.id = ch.history_id
            WHERE h.entity = ? AND h.entity_id = ? AND ch.field <> 'active'
            """) { statement in
            try statement.bind(.text(entity.rawValue), at: 1)
            try statement.bind(id, at: 2)
            var values: [String] = []
            while try statement.step() {
                values += [statement.optionalText(0), statement.optionalText(1)].compactMap { $0 }
            }
            return values
        }
        try connection.run("""
            UPDATE history_changes SET old_value = NULL, new_value = NULL, erased = 1
            WHERE history_id IN (SELECT id FROM history WHERE entity = ? AND entity_id = ?)
            """, [.text(entity.rawValue), .integer(id)])
        return erased
    }

    /// A record's entries, oldest first. For a contact, each carries the contact's reference as it
    /// is now; a contact whose row is gone (with its customer) reads as deleted.
    static func entries(_ connection: SQLiteConnection, _ entity: HistoryEntity, id: Int64) throws -> [StoredHistoryEntry] {
        try connection.withStatement("""
            \(entrySelect)
            WHERE h.entity = ? AND h.entity_id = ?
            ORDER BY h.id, ch.position
            """) { statement in
            try statement.bind(.text(entity.rawValue), at: 1)
            try statement.bind(id, at: 2)
            return try collectEntries(statement, users: UserNames(connection))
        }
    }

    /// The columns `collectEntries` reads: an entry with its author's id, one row per changed field.
    /// Callers add the WHERE and `ORDER BY h.id, ch.position`.
    static let entrySelect = """
        SELECT h.id, h.entity, h.entity_id, h.customer_id, h.action, h.at, h.by_user,
               ch.field, ch.old_value, ch.new_value, ch.erased, k.first_name, k.last_name, k.deleted, h.source,
               h.via_user
        FROM history h
        LEFT JOIN history_changes ch ON ch.history_id = h.id
        LEFT JOIN contacts k ON h.entity = 'contact' AND k.id = h.entity_id
        """

    /// The entries of a statement selecting `entrySelect`, its rows ordered by entry, then position.
    /// - Parameter users: names the authors, on the statement's connection.
    /// - Throws: `dataLoss` for an entry of a record kind this binary does not know, or naming a
    ///   user who does not exist.
    static func collectEntries(_ statement: SQLiteStatement, users: UserNames) throws -> [StoredHistoryEntry] {
        var entries: [StoredHistoryEntry] = []
        while try statement.step() {
            let entryID = try statement.int64("id")
            if entries.last?.id != entryID {
                let kind = try statement.text("entity")
                guard let entity = HistoryEntity(rawValue: kind) else {
                    throw StoreError.dataLoss("history entry \(entryID) is of an unknown kind of record '\(kind)'")
                }
                let id = try statement.int64("entity_id")
                let customerID = try statement.int64("customer_id"), action = try statement.text("action")
                let at = try statement.int64("at")
                let by = try users.ref(statement, "by_user")
                let firstName = try statement.optionalText("first_name"), lastName = try statement.optionalText("last_name")
                let deleted = try statement.optionalInt64("deleted").map { $0 != 0 } ?? true
                let contact = entity == .contact
                    ? StoredContactRef(id: id, name: deleted ? nil : StoredContactRef.displayName(firstName, lastName), deleted: deleted)
                    : nil
                entries.append(StoredHistoryEntry(
                    id: entryID, entity: entity, entityID: id, customerID: customerID, action: action,
                    at: .init(milliseconds: at), by: by, changes: [], contact: contact,
                    source: try statement.optionalText("source"),
                    via: try users.optionalRef(statement, "via_user")))
            }
            if let field = try statement.optionalText("field") {
                entries[entries.count - 1].changes.append(StoredFieldChange(
                    field: field, oldValue: try statement.optionalText("old_value"),
                    newValue: try statement.optionalText("new_value"), erased: try statement.bool("erased")))
            }
        }
        return entries
    }
}
