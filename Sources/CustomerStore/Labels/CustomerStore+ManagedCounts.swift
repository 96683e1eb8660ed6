import SQLiteEngine

/// What the counts of segments, industries and labels count.
public enum CountedRecords: Sendable {
    /// A segment's customers (`StoredSegment.customerCount`).
    case segmentCustomers
    /// An industry's customers (`StoredIndustry.customerCount`).
    case industryCustomers
    /// A keyword's or role's contacts (`StoredLabel.contactCount`).
    case labelContacts

    /// Segment, industry or label id, and how many of its records the customers of account
    /// manager `?` hold. Each walks the customers index by account manager, not the whole table.
    fileprivate var managedSQL: String {
        switch self {
        case .segmentCustomers:
            """
            SELECT cs.segment_id, count(*) FROM customers c JOIN customer_segments cs ON cs.customer_id = c.id
            WHERE c.account_manager_id = ? GROUP BY cs.segment_id
            """
        case .industryCustomers:
            """
            SELECT c.industry_id, count(*) FROM customers c
            WHERE c.account_manager_id = ? AND c.industry_id IS NOT NULL GROUP BY c.industry_id
            """
        case .labelContacts:
            """
            SELECT cl.label_id, count(*) FROM customers c JOIN contacts ct ON ct.customer_id = c.id
            JOIN contact_labels cl ON cl.contact_id = ct.id
            WHERE c.account_manager_id = ? GROUP BY cl.label_id
            """
        }
    }
}

extension CustomerStore {
    /// The counts `segments()`, `industries()` and `labels(_:)` give, restricted to the customers
    /// whose account manager is `accountManagerID` (and their contacts), by segment, industry or
    /// label id; an id that is not a key counts none. For a caller who may read own customers only:
    /// the counts over all customers tell it about customers it may not see (redteam20).
    public func counts(of records: CountedRecords, managedBy accountManagerID: Int64) throws -> [Int64: Int64] {
        try readOne { connection in
            try connection.withStatement(records.managedSQL) { statement in
                try statement.bind(accountManagerID, at: 1)
                var counts: [Int64: Int64] = [:]
                while try statement.step() { counts[statement.int64(0)] = statement.int64(1) }
                return counts
            }
        }
    }
}
