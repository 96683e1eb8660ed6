import SQLiteEngine

extension CustomerStore {
    /// What merging `absorbed` into `kept` moves, fills and resolves, read in the transaction of
    /// the dry run or of the merge itself (the same reads, so both report the same).
    static func mergePlan(_ connection: SQLiteConnection, kept: StoredCustomer, absorbed: StoredCustomer,
                          doNotFill: Set<String>) throws -> StoredCustomerMerge {
        let ids: [SQLValue] = [.integer(kept.id), .integer(absorbed.id)]
        let owned: [(MergedRecordKind, String)] = [
            (.addresses, "SELECT id FROM addresses WHERE customer_id = ?2 ORDER BY id"),
            (.contacts, "SELECT id FROM contacts WHERE customer_id = ?2 ORDER BY id"),
            (.activities, "SELECT id FROM activities WHERE customer_id = ?2 ORDER BY id"),
            (.salesCases, "SELECT id FROM projects WHERE customer_id = ?2 AND kind = 'salesCase' ORDER BY id"),
            (.projects, "SELECT id FROM projects WHERE customer_id = ?2 AND kind = 'project' ORDER BY id"),
            (.files, "SELECT id FROM files WHERE customer_id = ?2 ORDER BY id"),
            (.links, "SELECT id FROM links WHERE customer_id = ?2 ORDER BY id"),
            (.invoices, "SELECT id FROM invoices WHERE customer_id = ?2 ORDER BY id"),
            (.segments, """
                SELECT segment_id FROM customer_segments WHERE customer_id = ?2
                  AND segment_id NOT IN (SELECT segment_id FROM customer_segments WHERE customer_id = ?1) ORDER BY segment_id
                """),
            (.settings, """
                SELECT customer_id FROM customer_settings WHERE customer_id = ?2
                  AND NOT EXISTS (SELECT 1 FROM customer_settings WHERE customer_id = ?1)
                """),
        ]
        var moved: [StoredMergedRecords] = []
        for (kind, sql) in owned {
            let found = try column(connection, sql, ids).compactMap { Int64($0) }
            if !found.isEmpty { moved.append(StoredMergedRecords(kind: kind, ids: found)) }
        }
        var (filled, conflicts) = fieldsToFill(kept: kept, absorbed: absorbed, doNotFill: doNotFill)
        if let mine = kept.headOffice, let theirs = absorbed.headOffice {
            conflicts.append(StoredMergeConflict(kind: .headOffice, subject: "headOffice", kept: String(mine.id),
                                                 absorbed: String(theirs.id)))
        }
        let shared: [(MergeConflictKind, String)] = [
            (.settings, """
                SELECT 'invoicing settings' FROM customer_settings a JOIN customer_settings b
                ON a.customer_id = ?1 AND b.customer_id = ?2
                """),
            (.segment, """
                SELECT segment_id FROM customer_segments WHERE customer_id = ?1
                INTERSECT SELECT segment_id FROM customer_segments WHERE customer_id = ?2
                """),
            (.forecast, """
                SELECT f.month FROM forecasts f JOIN projects p ON p.id = f.project_id AND p.customer_id = ?1
                INTERSECT
                SELECT f.month FROM forecasts f JOIN projects p ON p.id = f.project_id AND p.customer_id = ?2
                """),
        ]
        for (kind, sql) in shared {
            conflicts += try column(connection, sql, ids).map { StoredMergeConflict(kind: kind, subject: $0) }
        }
        conflicts += try sameContacts(connection, kept: kept.id, absorbed: absorbed.id)
        filled.sort { $0.field < $1.field }
        return StoredCustomerMerge(keptID: kept.id, absorbedID: absorbed.id, dryRun: true, moved: moved,
                                   filled: filled, conflicts: conflicts, kept: kept)
    }

    /// The fields the kept customer lacks and the absorbed one has (to fill unless in
    /// `doNotFill`), and those both have with different values (conflicts: the kept value stays).
    private static func fieldsToFill(kept: StoredCustomer, absorbed: StoredCustomer, doNotFill: Set<String>)
        -> (filled: [StoredFieldChange], conflicts: [StoredMergeConflict]) {
        var filled: [StoredFieldChange] = [], conflicts: [StoredMergeConflict] = []
        for field in mergeFillable {
            guard let theirs = field.value(absorbed) else { continue }
            if let mine = field.value(kept) {
                if mine != theirs { conflicts.append(StoredMergeConflict(kind: .field, subject: field.name, kept: mine, absorbed: theirs)) }
            } else if !doNotFill.contains(field.name) {
                filled.append(StoredFieldChange(field: field.name, oldValue: nil, newValue: theirs))
            }
        }
        return (filled, conflicts)
    }

    /// Live contacts of both customers with the same name (folded): both move, the pair is reported.
    private static func sameContacts(_ connection: SQLiteConnection, kept keptID: Int64, absorbed absorbedID: Int64) throws
        -> [StoredMergeConflict] {
        let kept = try ContactRow.fetchAll(connection, customerID: keptID, includeDeactivated: true)
        let absorbed = try ContactRow.fetchAll(connection, customerID: absorbedID, includeDeactivated: true)
        var byName: [String: StoredContact] = [:]
        for contact in kept where !contact.deleted {
            if let name = contact.ref.name { byName[SearchKey.fold(name)] = contact }
        }
        return absorbed.compactMap { contact in
            guard !contact.deleted, let name = contact.ref.name, let twin = byName[SearchKey.fold(name)] else { return nil }
            return StoredMergeConflict(kind: .contact, subject: name, kept: String(twin.id), absorbed: String(contact.id))
        }
    }

    /// The first column of every row of `sql`, as text.
    private static func column(_ connection: SQLiteConnection, _ sql: String, _ values: [SQLValue]) throws -> [String] {
        try connection.withStatement(sql) { statement in
            try statement.bind(values)
            var texts: [String] = []
            while try statement.step() { texts.append(statement.text(0)) }
            return texts
        }
    }
}
