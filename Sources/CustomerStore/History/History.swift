import Foundation

/// The kinds of record whose changes are kept.
public enum HistoryEntity: String, Sendable, Hashable, CaseIterable {
    case customer, address, contact
    case project, projectTask, collaborationNote, invoice
    /// A note, task or event of a customer (history since schema version 11).
    case activity
}

/// One field of a change, by its API name, with the values as text.
public struct StoredFieldChange: Sendable, Hashable {
    public var field: String
    public var oldValue: String?
    public var newValue: String?
    /// The values were erased (the contact they described was deleted); both are nil then.
    public var erased: Bool

    public init(field: String, oldValue: String?, newValue: String?, erased: Bool = false) {
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.erased = erased
    }
}

/// One write of a customer, address, contact, project, project task, collaboration note or invoice.
public struct StoredHistoryEntry: Sendable, Hashable {
    public var id: Int64
    public var entity: HistoryEntity
    public var entityID: Int64
    public var customerID: Int64
    /// created, updated, deactivated, activated, deleted, headOfficeSet, tagged or untagged (customers
    /// also merged); for
    /// projects also won, lost, forecastSet and forecastRemoved; for project tasks completed and
    /// reopened; for invoices issued.
    public var action: String
    public var at: Date
    public var by: StoredUserRef
    /// The fields that really changed; for created the values it was created with, none for deleted.
    public var changes: [StoredFieldChange]
    /// For contact entries: the contact as it is now (the deleted marker once deleted).
    public var contact: StoredContactRef?
    /// Where the change came from when the caller did not type it, e.g.
    /// `registry: PRH YTJ open data v3 <URL>` for a registry refresh; `nil` for the caller's own edit.
    public var source: String?
    /// The trusted service the change was made through, acting for `by`; nil when `by` called itself.
    public var via: StoredUserRef?

    public init(id: Int64, entity: HistoryEntity, entityID: Int64, customerID: Int64, action: String, at: Date,
                by: StoredUserRef, changes: [StoredFieldChange], contact: StoredContactRef?, source: String? = nil, via: StoredUserRef? = nil) {
        self.id = id
        self.entity = entity
        self.entityID = entityID
        self.customerID = customerID
        self.action = action
        self.at = at
        self.by = by
        self.changes = changes
        self.contact = contact
        self.source = source
        self.via = via
    }
}
