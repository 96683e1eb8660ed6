import Foundation

/// Asks for the change feed after a cursor (`ChangeFeedService.WatchChanges`).
public struct WatchChangesRequest: Codable, Sendable, Hashable {
    /// The last sequence number the consumer has: the feed starts with the next one. 0 replays
    /// everything the server keeps; absent starts with the changes committed from now on.
    public var after: Int64?
    /// The kinds of record to receive; empty receives every kind.
    public var kinds: [HistoryEntry.Entity]

    public init(after: Int64? = nil, kinds: [HistoryEntry.Entity] = []) {
        self.after = after
        self.kinds = kinds
    }

    enum CodingKeys: Int, CodingKey { case after = 1, kinds = 2 }
}

/// One committed change, as the history records it, under its sequence number.
public struct ChangeEvent: Codable, Sendable, Hashable {
    /// Strictly increasing over the feed; a consumer resumes after the last one it applied.
    public var sequence: Int64
    /// The kind of record changed.
    public var kind: HistoryEntry.Entity
    /// created, updated, deactivated, activated, deleted, headOfficeSet, tagged, untagged, won, lost,
    /// completed, reopened, forecastSet, forecastRemoved, issued, and any action a newer server adds.
    public var action: String
    public var entityId: Int64
    /// The customer the record belongs to.
    public var customerId: Int64
    public var at: Date
    public var by: UserRef
    /// The trusted service the change came through, acting for `by`.
    public var via: UserRef?
    /// Where the values came from when the caller did not type them (e.g. a registry refresh).
    public var source: String?
    /// The fields that changed, with their new (and old) values; values of erased records are
    /// absent and marked erased.
    public var changes: [FieldChange]
    /// The record is gone (deleted or erased): a copy drops it.
    public var tombstone: Bool
    /// For a contact's event: the contact as it is now (deleted marker, no name, once deleted).
    public var contact: ContactRef?

    public init(sequence: Int64, kind: HistoryEntry.Entity, action: String, entityId: Int64, customerId: Int64, at: Date,
                by: UserRef, via: UserRef? = nil, source: String? = nil, changes: [FieldChange] = [],
                tombstone: Bool = false, contact: ContactRef? = nil) {
        self.sequence = sequence
        self.kind = kind
        self.action = action
        self.entityId = entityId
        self.customerId = customerId
        self.at = at
        self.by = by
        self.via = via
        self.source = source
        self.changes = changes
        self.tombstone = tombstone
        self.contact = contact
    }

    enum CodingKeys: Int, CodingKey {
        case sequence = 1, kind = 2, action = 3, entityId = 4, customerId = 5, at = 6, by = 7, via = 8, source = 9
        case changes = 10, tombstone = 11, contact = 12
    }
}

/// A customer of an initial sync, with the feed position it is as of (`SnapshotCustomers`).
public struct SnapshotCustomer: Codable, Sendable, Hashable {
    public var customer: Customer
    /// The sequence number the row is as of: every change up to it is in the row, none after it.
    /// Watch after the first message's position and skip this customer's events up to this one.
    public var asOf: Int64

    public init(customer: Customer, asOf: Int64) {
        self.customer = customer
        self.asOf = asOf
    }

    enum CodingKeys: Int, CodingKey { case customer = 1, asOf = 2 }
}

/// What the change feed serves now (`GetFeedBounds`): the sequence numbers after `prunedThrough`
/// up to `last`.
public struct FeedBoundsResponse: Codable, Sendable, Hashable {
    /// The highest sequence number no longer served (0: the feed serves the whole history).
    public var prunedThrough: Int64
    /// The newest committed sequence number: watching after it receives only what commits next.
    public var last: Int64

    public init(prunedThrough: Int64, last: Int64) {
        self.prunedThrough = prunedThrough
        self.last = last
    }

    enum CodingKeys: Int, CodingKey { case prunedThrough = 1, last = 2 }
}
