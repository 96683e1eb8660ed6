import Foundation

/// What a merge of two customers moves, fills and resolves: the answer of a dry run (nothing
/// written) and of the merge itself (all of it written in one transaction).
public struct StoredCustomerMerge: Sendable, Hashable {
    public var keptID: Int64
    public var absorbedID: Int64
    public var dryRun: Bool
    /// The records that move to the kept customer, by kind (kinds with none are left out).
    public var moved: [StoredMergedRecords]
    /// The fields the kept customer lacked, taken from the absorbed one (`oldValue` nil).
    public var filled: [StoredFieldChange]
    /// What both customers have, and how the merge resolves it.
    public var conflicts: [StoredMergeConflict]
    /// The kept customer: as it will be before the merge on a dry run, as it is after otherwise.
    public var kept: StoredCustomer

    public init(keptID: Int64, absorbedID: Int64, dryRun: Bool, moved: [StoredMergedRecords],
                filled: [StoredFieldChange], conflicts: [StoredMergeConflict], kept: StoredCustomer) {
        self.keptID = keptID
        self.absorbedID = absorbedID
        self.dryRun = dryRun
        self.moved = moved
        self.filled = filled
        self.conflicts = conflicts
        self.kept = kept
    }
}

/// The kinds of record a merge moves from the absorbed customer to the kept one.
public enum MergedRecordKind: String, Sendable, Hashable, CaseIterable {
    /// Keywords and roles travel with their contacts.
    case addresses, contacts, activities, salesCases, projects, files, links, invoices
    /// Market segment assignments (ids of segments).
    case segments
    /// The invoicing settings (the absorbed customer's id), when the kept customer has none.
    case settings
}

/// The ids of the records of one kind that move.
public struct StoredMergedRecords: Sendable, Hashable {
    public var kind: MergedRecordKind
    public var ids: [Int64]

    public init(kind: MergedRecordKind, ids: [Int64]) {
        self.kind = kind
        self.ids = ids
    }
}

/// Something both customers have.
public enum MergeConflictKind: String, Sendable, Hashable, CaseIterable {
    /// Both have a different value in a field; the kept customer's stays.
    case field
    /// Both have a head office; the kept customer's stays, the other becomes an ordinary address.
    case headOffice
    /// Both have invoicing settings; the kept customer's stay, the absorbed one's are dropped.
    case settings
    /// Both are in the same market segment; one assignment stays.
    case segment
    /// Both have a live contact of the same name; both move, for someone to merge by hand.
    case contact
    /// Projects of both have a forecast for the same month; each project keeps its own, and the
    /// card's financial tab adds them up.
    case forecast
}

public struct StoredMergeConflict: Sendable, Hashable {
    public var kind: MergeConflictKind
    /// What both have: the field's API name, the address or segment id, the contact's name, the month.
    public var subject: String
    /// The kept and the absorbed customer's values (fields, head office address ids, contact ids).
    public var kept: String?
    public var absorbed: String?

    public init(kind: MergeConflictKind, subject: String, kept: String? = nil, absorbed: String? = nil) {
        self.kind = kind
        self.subject = subject
        self.kept = kept
        self.absorbed = absorbed
    }
}
