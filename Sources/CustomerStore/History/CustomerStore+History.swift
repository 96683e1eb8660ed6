import SQLiteEngine

extension CustomerStore {
    /// The change history of one customer, address or contact, oldest first.
    ///
    /// A deleted customer's or address's history stays readable. Contact entries carry the
    /// contact's reference as it is now, so after deletion they show the deleted marker, and
    /// their values read as erased.
    ///
    /// - Throws: `notFound` when the record has no history and does not exist.
    public func history(_ entity: HistoryEntity, id: Int64) throws -> [StoredHistoryEntry] {
        try read { connection in
            let entries = try HistoryLog.entries(connection, entity, id: id)
            if entries.isEmpty, try !Self.exists(connection, entity, id: id) {
                throw StoreError.notFound("\(entity.rawValue) \(id) does not exist")
            }
            return entries
        }
    }

    /// Whether the record exists (a record from before the history was kept has no entries).
    private static func exists(_ connection: SQLiteConnection, _ entity: HistoryEntity, id: Int64) throws -> Bool {
        let table = switch entity {
        case .customer: "customers"
        case .address: "addresses"
        case .contact: "contacts"
        case .project: "projects"
        case .projectTask: "project_tasks"
        case .collaborationNote: "collaboration_notes"
        case .invoice: "invoices"
        case .activity: "activities"
        }
        return try connection.withStatement("SELECT 1 FROM \(table) WHERE id = ?") { statement in
            try statement.bind(id, at: 1)
            return try statement.step()
        }
    }
}
