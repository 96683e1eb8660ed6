import SQLiteEngine

/// What a history entry records.
enum HistoryAction: String, Sendable {
    case created, updated, deactivated, activated, deleted, headOfficeSet, tagged, untagged
    case won, lost, completed, reopened, forecastSet, forecastRemoved, issued
    /// A customer was merged into another (schema version 13): on both customers.
    case merged
}

/// Writes and reads the change history (table `history`, each entry's field changes in its
/// `changes` column: `HistoryChangesText`).
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

    /// Whether an update would leave the record as it is: every value the same, code point for
    /// code point (String's `==` takes a text stored decomposed, before unicode22, for its composed
    /// form, and writing that form is a change). Such an update writes nothing: no new version, no
    /// entry, no event in the change feed (PROTOCOL.md, CHANGE-FEED.md).
    static func isUnchanged(from old: Values, to new: Values) -> Bool {
        isUnchanged(from: old.map { SQLValue($0.value) }, to: new.map { SQLValue($0.value) })
    }

    /// The same for the values an UPDATE binds, where a record's history text says less than its
    /// row (an activity's times are stored to the millisecond, its history shows seconds; a
    /// project's manager is stored by id): every update that writes a version, an entry or an
    /// event asks one of the two before writing (gaps28, gaps29).
    static func isUnchanged(from old: [SQLValue], to new: [SQLValue]) -> Bool {
        old.count == new.count && zip(old, new).allSatisfy { before, after in
            switch (before, after) {
            case (.null, .null): true
            case (.integer(let before), .integer(let after)): before == after
            case (.text(let before), .text(let after)): before.utf8.elementsEqual(after.utf8)
            default: false
            }
        }
    }

    /// A new record's values as changes from nothing, so a created entry (and the change feed's
    /// event for it) carries what the record was created with; fields left empty are not listed.
    static func creation(_ values: Values) -> [StoredFieldChange] {
        values.compactMap { field, value in value.map { StoredFieldChange(field: field, oldValue: nil, newValue: $0) } }
    }

    /// The `active` field's change for an activate/deactivate entry; none when it did not change.
    static func activeChange(from old: Bool, to new: Bool) -> [StoredFieldChange] {
        flagChange("active", from: old, to: new)
    }

    /// A yes/no field's change ("true"/"false"); none when it did not change.
    static func flagChange(_ field: String, from old: Bool, to new: Bool) -> [StoredFieldChange] {
        old == new ? [] : [StoredFieldChange(field: field, oldValue: String(old), newValue: String(new))]
    }

    /// Fields whose values say nothing of anyone (yes/no flags, a head office's address id, the
    /// customer id a merge moved a record from and to):
    /// `eraseValues` does not return them, since a copy of "true" or "12" elsewhere is not the
    /// erased person's and forgetting every stored answer that contains one would be wrong.
    private static let impersonalFields: Set<String> = ["active", "isHeadOffice", "headOffice", "customerId"]

    /// Whose customer an entry's customer was as the change was made: the entry's `manager_id`
    /// (schema version 28), by which an own-scope watcher of the change feed keeps the events of a
    /// customer that has since left it (handed on, erased, merged away), and nothing after.
    enum Manager: Sendable, Hashable {
        /// The one the customer's row names as the entry is written: right for every change that
        /// keeps the manager, which is every write but the three below.
        case asStored
        /// This one (nil: none), known to the writer: a create's (the one it is created with, its
        /// row not yet written by an import), a hand-off's (the one it leaves), an erasure's and a
        /// merge's absorbed customer's (the one it had: its row is gone or cleared).
        case was(Int64?)
    }

    /// Appends one entry with its field changes, recording the author whole: the person, the
    /// trusted service it came through and its source; and the customer's manager (`Manager`).
    static func append(_ connection: SQLiteConnection, _ entity: HistoryEntity, id: Int64, customerID: Int64,
                       _ action: HistoryAction, at: Int64, by author: Author, manager: Manager = .asStored,
                       changes: [StoredFieldChange] = []) throws {
        try append(connection, [NewEntry(entity: entity, id: id, customerID: customerID, action: action, at: at,
                                         author: author, manager: manager, changes: changes)])
    }

    /// One entry of `append(_:_:)`.
    struct NewEntry {
        var entity: HistoryEntity
        var id: Int64
        var customerID: Int64
        var action: HistoryAction
        var at: Int64
        var author: Author
        var manager: Manager
        var changes: [StoredFieldChange]
        /// The changes encoded already (`HistoryChangesText`), `changes` then empty: created
        /// customers (`CreatedCustomerChanges`; an import makes most of the text beside its writer).
        var encodedChanges: String? = nil
    }

    /// Appends entries with one INSERT per 64 entries, each carrying its field changes in its
    /// `changes` column (`HistoryChangesText`): a bulk import's rows are one statement per 64.
    /// SQLite gives the ids, in order.
    static func append(_ connection: SQLiteConnection, _ entries: [NewEntry]) throws {
        guard !entries.isEmpty else { return }
        var rows = BoundRows(width: insertEntries.valueCount)
        var stored: [Int64: Int64?] = [:]
        for entry in entries {
            var manager: Int64?
            switch entry.manager {
            case .was(let known): manager = known
            case .asStored:
                // One lookup a customer: a merge's moved records are many entries of one customer.
                if let known = stored[entry.customerID] {
                    manager = known
                } else {
                    manager = try storedManager(connection, customerID: entry.customerID)
                    stored[entry.customerID] = manager
                }
            }
            appendRow(entry.entity, id: entry.id, customerID: entry.customerID, entry.action, at: entry.at, by: entry.author,
                      manager: manager, to: &rows) { $0.append(entry.encodedChanges ?? HistoryChangesText.encode(entry.changes)) }
        }
        try insert(connection, rows)
    }

    /// The account manager the customer's row names now; nil when it has none or is gone.
    private static func storedManager(_ connection: SQLiteConnection, customerID: Int64) throws -> Int64? {
        try connection.withStatement("SELECT account_manager_id FROM customers WHERE id = ?") { statement in
            try statement.bind(customerID, at: 1)
            return try statement.step() ? statement.optionalInt64(0) : nil
        }
    }

    /// Writes entries' rows made by `appendRow` (`BoundRows(width: insertEntries.valueCount)`),
    /// one INSERT per 64; SQLite gives the ids, in order. `insert`: `insertEntries`, or its
    /// `rollingBack` form (a group's batch, `CustomerCreateBatch`).
    static func insert(_ connection: SQLiteConnection, _ rows: BoundRows, using insert: MultiRowInsert = insertEntries) throws {
        guard !rows.isEmpty else { return }
        try connection.insertRows(insert, rows)
    }

    /// One entry's row appended to `rows`, its `changes` column (encoded changes, or NULL) appended by `changes`.
    static func appendRow(_ entity: HistoryEntity, id: Int64, customerID: Int64, _ action: HistoryAction, at: Int64,
                          by author: Author, manager: Int64?, to rows: inout BoundRows, changes: (inout BoundRows) -> Void) {
        rows.append(entity.rawValue)
        rows.append(id)
        rows.append(customerID)
        rows.append(action.rawValue)
        rows.append(at)
        rows.append(author.userID)
        rows.append(author.source)
        rows.append(author.viaUserID)
        rows.append(manager)
        changes(&rows)
    }

    static let insertEntries = MultiRowInsert(
        into: "history", columns: ["entity", "entity_id", "customer_id", "action", "at", "by_user", "source", "via_user", "manager_id", "changes"])

    /// Erases every value ever recorded for one record (the entries and field names stay).
    /// - Returns: the values it erased, so that copies elsewhere can go too (not those of
    ///   `impersonalFields`).
    @discardableResult
    static func eraseValues(_ connection: SQLiteConnection, _ entity: HistoryEntity, id: Int64) throws -> [String] {
        let entries = try connection.withStatement("""
            SELECT id, changes FROM history WHERE entity = ? AND entity_id = ? AND changes IS NOT NULL
            """) { statement in
            try statement.bind(.text(entity.rawValue), at: 1)
            try statement.bind(id, at: 2)
            var entries: [(id: Int64, changes: [StoredFieldChange])] = []
            while try statement.step() {
                let entryID = statement.int64(0)
                entries.append((entryID, try HistoryChangesText.decode(statement.text(1), entryID: entryID)))
            }
            return entries
        }
        var erased: [String] = []
        for entry in entries {
            for change in entry.changes where !impersonalFields.contains(change.field) {
                erased += [change.oldValue, change.newValue].compactMap { $0 }
            }
            try connection.run("UPDATE history SET changes = ? WHERE id = ?",
                               [SQLValue(HistoryChangesText.encode(HistoryChangesText.erasing(entry.changes))), .integer(entry.id)])
        }
        return erased
    }

    /// A record's entries, oldest first. For a contact, each carries the contact's reference as it
    /// is now; a contact whose row is gone (with its customer) reads as deleted.
    static func entries(_ connection: SQLiteConnection, _ entity: HistoryEntity, id: Int64) throws -> [StoredHistoryEntry] {
        try connection.withStatement("""
            \(entrySelect)
            WHERE h.entity = ? AND h.entity_id = ?
            ORDER BY h.id
            """) { statement in
            try statement.bind(.text(entity.rawValue), at: 1)
            try statement.bind(id, at: 2)
            return try collectEntries(statement, users: UserNames(connection))
        }
    }

    /// The columns `collectEntries` reads: an entry with its author's id and its changes, one row
    /// per entry. Callers add the WHERE and `ORDER BY h.id`.
    static let entrySelect = """
        SELECT h.id, h.entity, h.entity_id, h.customer_id, h.action, h.at, h.by_user,
               h.changes, k.first_name, k.last_name, k.deleted, h.source, h.via_user
        FROM history h
        LEFT JOIN contacts k ON h.entity = 'contact' AND k.id = h.entity_id
        """

    /// The entries of a statement selecting `entrySelect`, its rows ordered by entry.
    /// - Parameter users: names the authors, on the statement's connection.
    /// - Throws: `dataLoss` for an entry of a record kind this binary does not know, naming a
    ///   user who does not exist, or with changes not of `HistoryChangesText`'s encoding.
    static func collectEntries(_ statement: SQLiteStatement, users: UserNames) throws -> [StoredHistoryEntry] {
        var entries: [StoredHistoryEntry] = []
        while try statement.step() {
            let entryID = try statement.int64("id")
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
            let changes = try statement.optionalText("changes").map { try HistoryChangesText.decode($0, entryID: entryID) } ?? []
            entries.append(StoredHistoryEntry(
                id: entryID, entity: entity, entityID: id, customerID: customerID, action: action,
                at: .init(milliseconds: at), by: by, changes: changes, contact: contact,
                source: try statement.optionalText("source"),
                via: try users.optionalRef(statement, "via_user")))
        }
        return entries
    }
}
