import CustomerStore

extension Caller {
    /// `segments` with each one's customers counted as this caller may read them (see
    /// `visibleCounts`).
    func visible(_ segments: [StoredSegment], in store: CustomerStore) throws -> [StoredSegment] {
        try visibleCounts(segments, of: .segmentCustomers, in: store, id: \.id, count: \.customerCount)
    }

    /// `industries` with each one's customers counted as this caller may read them.
    func visible(_ industries: [StoredIndustry], in store: CustomerStore) throws -> [StoredIndustry] {
        try visibleCounts(industries, of: .industryCustomers, in: store, id: \.id, count: \.customerCount)
    }

    /// `labels` with each one's contacts counted as this caller may read them.
    func visible(_ labels: [StoredLabel], in store: CustomerStore) throws -> [StoredLabel] {
        try visibleCounts(labels, of: .labelContacts, in: store, id: \.id, count: \.contactCount)
    }

    /// A card's segments (its contact-information and settings tabs) counted, in place, as this
    /// caller may read them; the tabs as read for a caller who may read every customer. In place:
    /// returned, the tabs were copied and the read's destroyed, each through the runtime's generic
    /// `Optional` witnesses for their optional tabs (docs/performance/HISTORY.md "card31").
    func showVisible<Customer>(_ tabs: inout CardTabs<Customer>, in store: CustomerStore) throws {
        guard rights.readCustomers != .all else { return }
        if let segments = tabs.contactInformation?.segments, !segments.isEmpty {
            tabs.contactInformation?.segments = try visible(segments, in: store)
        }
        if let segments = tabs.settings?.segments, !segments.isEmpty {
            tabs.settings?.segments = try visible(segments, in: store)
        }
    }

    /// `records` as read (counted over every customer) for a caller who may read all customers;
    /// counted over its own customers for one reading own customers only, and none for one who
    /// may read none. Every signed-in user lists segments, industries and labels, and a count over
    /// all customers told one of them how many customers (and contacts) it may not read there are
    /// in each, and watching a count move told it what was done to them (redteam20).
    private func visibleCounts<Record>(_ records: [Record], of counted: CountedRecords, in store: CustomerStore,
                                       id: KeyPath<Record, Int64>, count: WritableKeyPath<Record, Int64>) throws -> [Record] {
        let counts: [Int64: Int64]
        switch rights.readCustomers {
        case .all: return records
        case .own: counts = try store.counts(of: counted, managedBy: user.id)
        case .none: counts = [:]
        }
        return records.map { record in
            var shown = record
            shown[keyPath: count] = counts[record[keyPath: id]] ?? 0
            return shown
        }
    }
}
