import Foundation

/// How much of the history the change feed serves (`customerd --feed-retention-days/-count`).
///
/// Retention moves the feed's horizon (table `change_feed_horizon`) and never deletes history:
/// the entries stay the records' audit trail. A consumer whose cursor is below the horizon is told
/// to resync (``ChangeFeedError/cursorPruned(cursor:prunedThrough:)``).
public struct FeedRetention: Sendable, Hashable {
    /// Serve the entries of the last this many days (by the time each was written); nil: no limit.
    public var days: Int?
    /// Serve the last this many sequence numbers; nil: no limit.
    public var count: Int64?

    public init(days: Int? = nil, count: Int64? = nil) {
        self.days = days
        self.count = count
    }

    /// Everything is served.
    public static let unlimited = FeedRetention()
}

/// The sequence numbers the change feed serves: those in `prunedThrough + 1 ... last`.
public struct FeedBounds: Sendable, Hashable {
    /// The highest sequence number no longer served (0: none was pruned).
    public var prunedThrough: Int64
    /// The newest committed sequence number (0 before the first change).
    public var last: Int64

    public init(prunedThrough: Int64, last: Int64) {
        self.prunedThrough = prunedThrough
        self.last = last
    }
}

/// Why the feed cannot continue after a cursor: the consumer must resync (snapshot, then watch).
public enum ChangeFeedError: Error, Sendable, Hashable {
    /// Retention went past the cursor: the events after it are no longer all served.
    case cursorPruned(cursor: Int64, prunedThrough: Int64)
    /// The cursor is past the newest sequence number: it comes from another database, or from
    /// this one before a restore from an older backup.
    case cursorAhead(cursor: Int64, last: Int64)
}
