import SQLiteEngine

extension CustomerStore {
    /// The fields a merge may fill on the kept customer, by API name; `doNotFill` names a subset.
    public static let mergeFillableFields = mergeFillable.map(\.name)

    /// The fields a merge may fill: how each compares (for `filled` and the `field` conflicts) and
    /// how the absorbed customer's value is written to the kept one.
    static let mergeFillable: [MergeFillableField] = [
        MergeFillableField("accountManager", { $0.accountManager?.name }) { $0.accountManagerID = .some($1.accountManager?.id) },
        MergeFillableField("description", { $0.description }) { $0.description = $1.description },
        MergeFillableField("vatNumber", { $0.vatNumber ?? $0.businessID }) { $0.vatNumber = $1.vatNumber ?? $1.businessID },
        MergeFillableField("country", { $0.country }) { $0.country = $1.country },
        MergeFillableField("industry", { $0.industry }) { $0.industry = $1.industry },
        MergeFillableField("email", { $0.email }) { $0.email = $1.email },
        MergeFillableField("website", { $0.website }) { $0.website = $1.website },
        MergeFillableField("phone", { $0.phone }) { $0.phone = $1.phone },
    ]

    /// Merges `absorbID` into `keepID` in one transaction, or with `dryRun` only says what it would do.
    ///
    /// Addresses, contacts (with their keywords and roles), activities, sales cases and projects
    /// (with their tasks, notes and forecasts), files, links and invoices (their issue-time snapshot
    /// untouched) move to the kept customer; its head office stays (it takes the absorbed one's
    /// when it has none); segment assignments join its own, and the invoicing settings move when it
    /// has none. Fields it lacks are filled from the absorbed customer unless named in `doNotFill`
    /// (an `updated` history entry). Both customers' histories get a `merged` entry; the absorbed
    /// customer is removed, its number retired, and its id answers `merged` (NOT_FOUND naming the
    /// survivor) from then on.
    /// - Throws: `invalidArgument` (a customer into itself, an unknown field in `doNotFill`),
    ///   `notFound` / `merged` for either id, `failedPrecondition` for an erased customer or an
    ///   unknown acting user, and any refusal of the filled fields (e.g. a VAT number invalid for
    ///   the kept customer's country).
    public func mergeCustomers(keep keepID: Int64, absorb absorbID: Int64, dryRun: Bool, doNotFill: [String] = [],
                               by author: Author) throws -> StoredCustomerMerge {
        var violations: [FieldViolation] = []
        if keepID == absorbID {
            violations.append(FieldViolation(field: "absorbId", reason: "must differ from keepId: a customer cannot absorb itself"))
        }
        for field in doNotFill where !Self.mergeFillableFields.contains(field) {
            violations.append(FieldViolation(
                field: "doNotFill", reason: "names no fillable field (\(Self.mergeFillableFields.joined(separator: ", ")))"))
        }
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        func planMerge(_ connection: SQLiteConnection) throws -> (plan: StoredCustomerMerge, absorbed: StoredCustomer) {
            try Self.requireActingUser(connection, author)
            let kept = try currentCustomer(connection, id: keepID, field: "keepId", expectedVersion: nil)
            let absorbed = try currentCustomer(connection, id: absorbID, field: "absorbId", expectedVersion: nil)
            return (try Self.mergePlan(connection, kept: kept, absorbed: absorbed, doNotFill: Set(doNotFill)), absorbed)
        }
        // A dry run only reads: it neither holds up the writers nor wakes the change feed's watchers.
        if dryRun { return try read { try planMerge($0).plan } }
        return try write { connection in
            let (planned, absorbed) = try planMerge(connection)
            var plan = planned
            try moveRecords(connection, plan, kept: planned.kept, absorbed: absorbed, by: author)
            plan.kept = try fill(connection, keepID, fields: plan.filled, from: absorbed, by: author)
            let now = nextUpdatedAt(after: plan.kept.updatedAt)
            try connection.run("UPDATE customers SET version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
                               [.integer(now), .integer(author.userID), .integer(keepID)])
            let movedChanges = plan.moved.map { records in
                StoredFieldChange(field: records.kind.rawValue, oldValue: nil,
                                  newValue: records.ids.map(String.init).joined(separator: ", "))
            }
            try HistoryLog.append(connection, .customer, id: keepID, customerID: keepID, .merged, at: now, by: author,
                                  changes: [StoredFieldChange(field: "absorbed", oldValue: nil, newValue: String(absorbID))]
                                      + movedChanges)
            // The manager the absorbed customer had: its row is gone.
            try HistoryLog.append(connection, .customer, id: absorbID, customerID: absorbID, .merged, at: now, by: author,
                                  manager: .was(absorbed.accountManager?.id),
                                  changes: [StoredFieldChange(field: "mergedInto", oldValue: nil, newValue: String(keepID))])
            plan.kept = try requireCustomer(connection, id: keepID)
            plan.dryRun = false
            return plan
        }
    }

    /// Moves every record of `plan` and removes the absorbed customer (inside the merge's write).
    private func moveRecords(_ connection: SQLiteConnection, _ plan: StoredCustomerMerge, kept: StoredCustomer,
                             absorbed: StoredCustomer, by author: Author) throws {
        let ids: [SQLValue] = [.integer(kept.id), .integer(absorbed.id)]
        let now = nowMilliseconds()
        // First the merge's own record: the address trigger lets addresses follow it.
        try connection.run("INSERT INTO customer_merges (absorbed_id, kept_id, merged_at, merged_by) VALUES (?, ?, ?, ?)",
                           [.integer(absorbed.id), .integer(kept.id), .integer(now), .integer(author.userID)])
        // Contacts before activities: an activity's contact must belong to the activity's customer.
        // A moved record changed (its customer), and its card shows who last changed it and when:
        // each is stamped as updated by the merge (version +1 where it has one); invoices keep
        // their issue-time record untouched and only say in their history where they went.
        for table in ["contacts", "activities", "projects", "files", "links", "invoices", "addresses"] {
            let stamp = switch table {
            case "invoices": ""
            case "files", "links": ", updated_at = max(?3, updated_at + 1), updated_by = ?4"
            default: ", version = version + 1, updated_at = max(?3, updated_at + 1), updated_by = ?4"
            }
            try connection.run("UPDATE \(table) SET customer_id = ?1\(stamp) WHERE customer_id = ?2",
                               stamp.isEmpty ? ids : ids + [.integer(now), .integer(author.userID)])
        }
        try HistoryLog.append(connection, Self.movedEntries(plan, kept: kept.id, absorbed: absorbed.id, at: now, by: author))
        try connection.run("""
            INSERT OR IGNORE INTO customer_segments (customer_id, segment_id)
            SELECT ?1, segment_id FROM customer_segments WHERE customer_id = ?2
            """, ids)
        if plan.moved.contains(where: { $0.kind == .settings }) {
            try connection.run("UPDATE customer_settings SET customer_id = ?1 WHERE customer_id = ?2", ids)
        }
        // Its segments, settings left behind and duplicate keys go with it (ON DELETE CASCADE).
        try connection.run("DELETE FROM customers WHERE id = ?", [.integer(absorbed.id)])
        try retireNumber(connection, absorbed.number)
        if kept.headOffice == nil, let headOffice = absorbed.headOffice {
            // Only now: the unique index on head offices held it for the absorbed row until it went.
            try connection.run("UPDATE customers SET head_office_address_id = ? WHERE id = ?",
                               [.integer(headOffice.id), .integer(kept.id)])
            // As every head office change: a copy kept from the feed learns it there.
            try HistoryLog.append(connection, [Self.headOfficeEntry(customerID: kept.id, from: nil, to: headOffice.id, at: now,
                                                                    by: author, manager: .asStored)])
        }
    }

    /// An `updated` entry for every moved record that keeps a history, its `customerId` going from
    /// the absorbed customer to the kept one: the record's own history and the change feed say
    /// that it moved, by whom and when, not only the kept customer's `merged` entry.
    private static func movedEntries(_ plan: StoredCustomerMerge, kept: Int64, absorbed: Int64, at: Int64,
                                     by author: Author) -> [HistoryLog.NewEntry] {
        let change = [StoredFieldChange(field: "customerId", oldValue: String(absorbed), newValue: String(kept))]
        return plan.moved.flatMap { records -> [HistoryLog.NewEntry] in
            let entity: HistoryEntity? = switch records.kind {
            case .addresses: .address
            case .contacts: .contact
            case .activities: .activity
            case .salesCases, .projects: .project
            case .invoices: .invoice
            // Files and links have no history of their own (the customer's entry names them).
            case .files, .links, .segments, .settings: nil
            }
            guard let entity else { return [] }
            return records.ids.map { id in
                HistoryLog.NewEntry(entity: entity, id: id, customerID: kept, action: .updated, at: at, author: author,
                                    manager: .asStored,
                                    changes: change)
            }
        }
    }

    /// Writes the filled fields, taken from the absorbed customer, as one update of the kept
    /// customer (its own `updated` history entry).
    private func fill(_ connection: SQLiteConnection, _ keepID: Int64, fields filled: [StoredFieldChange],
                      from absorbed: StoredCustomer, by author: Author) throws -> StoredCustomer {
        let current = try requireCustomer(connection, id: keepID)
        guard !filled.isEmpty else { return current }
        var changes = CustomerChanges()
        for field in Self.mergeFillable where filled.contains(where: { $0.field == field.name }) {
            field.fill(&changes, absorbed)
        }
        // The absorbed customer, which may have had the same VAT number, is gone by now.
        return try update(connection, current, changes, allowDuplicateVAT: true, by: author)
    }
}

/// A field a merge may fill on the kept customer (``CustomerStore/mergeFillable``).
struct MergeFillableField: Sendable {
    /// The field's API name, as `doNotFill`, `filled` and conflicts name it.
    let name: String
    /// The customer's value as the merge compares it (the account manager by name).
    let value: @Sendable (StoredCustomer) -> String?
    /// Sets the absorbed customer's value in the kept customer's changes.
    let fill: @Sendable (inout CustomerChanges, StoredCustomer) -> Void

    init(_ name: String, _ value: @escaping @Sendable (StoredCustomer) -> String?,
         fill: @escaping @Sendable (inout CustomerChanges, StoredCustomer) -> Void) {
        self.name = name
        self.value = value
        self.fill = fill
    }
}
