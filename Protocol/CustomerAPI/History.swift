import Foundation

/// One change to a customer, address or contact: who, when, and for an update which fields
/// went from what to what.
public struct HistoryEntry: Codable, Sendable, Hashable {
    public enum Entity: Int, Codable, Sendable, CaseIterable {
        case customer = 0, address = 1, contact = 2, project = 3, projectTask = 4, collaborationNote = 5, invoice = 6
        case activity = 7
    }

    public var id: Int64
    public var entity: Entity
    public var entityId: Int64
    /// The customer the record belongs to.
    public var customerId: Int64
    /// created, updated, deactivated, activated, deleted, headOfficeSet, tagged, untagged.
    public var action: String
    public var at: Date
    public var by: UserRef
    public var changes: [FieldChange]
    /// For a contact's entries: the contact, with the deleted marker once it is deleted.
    public var contact: ContactRef?
    /// Where the change came from when the caller did not type it: `registry: NAME URL` for a
    /// refresh from a business registry. Absent for the caller's own edits.
    public var source: String?
    /// The trusted service the change came through, acting for the person in `by`.
    public var via: UserRef?

    public init(
        id: Int64, entity: Entity, entityId: Int64, customerId: Int64, action: String, at: Date, by: UserRef,
        changes: [FieldChange], contact: ContactRef? = nil, source: String? = nil, via: UserRef? = nil
    ) {
        self.id = id
        self.entity = entity
        self.entityId = entityId
        self.customerId = customerId
        self.action = action
        self.at = at
        self.by = by
        self.changes = changes
        self.contact = contact
        self.source = source
        self.via = via
    }

    enum CodingKeys: Int, CodingKey {
        case id = 1, entity = 2, entityId = 3, customerId = 4, action = 5, at = 6, by = 7, changes = 8, contact = 9
        case source = 10, via = 11
    }
}

/// A field's value before and after. Both are absent, and `erased` true, once a deleted
/// contact's personal data has been erased from the history.
public struct FieldChange: Codable, Sendable, Hashable {
    public var field: String
    public var oldValue: String?
    public var newValue: String?
    public var erased: Bool

    public init(field: String, oldValue: String?, newValue: String?, erased: Bool = false) {
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.erased = erased
    }

    enum CodingKeys: Int, CodingKey { case field = 1, oldValue = 2, newValue = 3, erased = 4 }
}

public struct ListHistoryRequest: Codable, Sendable, Hashable {
    public var entity: HistoryEntry.Entity
    public var id: Int64

    public init(entity: HistoryEntry.Entity, id: Int64) {
        self.entity = entity
        self.id = id
    }

    enum CodingKeys: Int, CodingKey { case entity = 1, id = 2 }
}

/// Oldest first.
public struct HistoryList: Codable, Sendable, Hashable {
    public var entries: [HistoryEntry]

    public init(entries: [HistoryEntry]) { self.entries = entries }

    enum CodingKeys: Int, CodingKey { case entries = 1 }
}
