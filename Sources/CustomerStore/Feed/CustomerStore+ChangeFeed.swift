import Foundation
import SQLiteEngine

/// Which events a change-feed page keeps.
public struct ChangeFeedFilter: Sendable, Hashable {
    /// The kinds of record to keep; empty keeps every kind.
    public var kinds: Set<HistoryEntity>
    /// Keep only the changes of customers this user manages now or managed when the change was
    /// recorded (an own-scope caller: the entry's `manager_id`, `HistoryLog.Manager`; an entry from
    /// before schema version 28 has none, and is kept by the manager now alone); nil keeps all.
    public var accountManagerID: Int64?

    public init(kinds: Set<HistoryEntity> = [], accountManagerID: Int64? = nil) {
        self.kinds = kinds
        self.accountManagerID = accountManagerID
    }
}

/// One page of the change feed.
public struct ChangePage: Sendable, Hashable {
    /// The kept events, by sequence number (an entry's id).
    public var entries: [StoredHistoryEntry]
    /// The cursor to read the next page after: the last sequence number this page looked at,
    /// kept or filtered out (so a filter that keeps little still moves on).
    public var through: Int64
}

/// The change feed: the history, by sequence number (see `Migrations.changeFeed`).
extension CustomerStore {
    /// The bounds the feed serves, after moving its horizon up to what `retention` keeps.
    ///
    /// The horizon is found in a read (for days, a scan from the old horizon up to the first entry
    /// young enough: each entry is passed over once in the database's life) and stored in a short
    /// write, so writers never wait for the scan.
    public func feedBounds(applying retention: FeedRetention) throws -> FeedBounds {
        let (current, target) = try read { connection -> (FeedBounds, Int64) in
            let bounds = try Self.feedBounds(connection)
            var target = bounds.prunedThrough
            if let count = retention.count { target = max(target, bounds.last - max(0, count)) }
            if let days = retention.days {
                // A span too long for milliseconds in an Int64 reaches before every entry: nothing to prune.
                let (span, overflow) = Int64(max(0, days)).multipliedReportingOverflow(by: 86_400_000)
                if !overflow {
                    target = max(target, try Self.lastEntry(connection, after: bounds.prunedThrough,
                                                            before: clock.wallMilliseconds() - span) ?? 0)
                }
            }
            return (bounds, min(target, bounds.last))
        }
        guard target > current.prunedThrough else { return current }
        // Not a call's write: the horizon moves to where the retention already puts it, whoever
        // asks (a read of the feed, a watch); it changes no record, and committing it after the
        // asking call ended tells no caller anything false.
        try bookkeepingWrite { connection in
            try connection.run("UPDATE change_feed_horizon SET pruned_through = max(pruned_through, ?)", [.integer(target)])
        }
        return FeedBounds(prunedThrough: target, last: max(current.last, target))
    }

    /// Checks that the feed can continue after `cursor`.
    /// - Throws: ``ChangeFeedError`` when it cannot (the consumer must resync).
    public static func checkCursor(_ cursor: Int64, within bounds: FeedBounds) throws {
        if cursor < bounds.prunedThrough { throw ChangeFeedError.cursorPruned(cursor: cursor, prunedThrough: bounds.prunedThrough) }
        if cursor > bounds.last { throw ChangeFeedError.cursorAhead(cursor: cursor, last: bounds.last) }
    }

    /// Up to `limit` sequence numbers after `cursor`, in one read transaction, with the entries
    /// `filter` keeps. Only committed entries are seen: the one writer assigns ids in commit order,
    /// so a reader never sees a number before every smaller one has committed.
    public func changes(after cursor: Int64, filter: ChangeFeedFilter, limit: Int) throws -> ChangePage {
        let window = "SELECT id FROM history WHERE id > ?1 ORDER BY id LIMIT ?2"
        let kinds = filter.kinds.isEmpty ? "" : "AND h.entity IN (\(filter.kinds.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")))"
        let scope = filter.accountManagerID == nil
            ? "" : """
                AND (h.manager_id = ?3
                     OR EXISTS (SELECT 1 FROM customers c WHERE c.id = h.customer_id AND c.account_manager_id = ?3))
                """
        return try read { connection in
            let through = try connection.withStatement("SELECT max(id) FROM (\(window))") { statement in
                try statement.bind(cursor, at: 1)
                try statement.bind(Int64(max(1, limit)), at: 2)
                return try statement.step() ? statement.optionalInt64(0) : nil
            }
            guard let through else { return ChangePage(entries: [], through: cursor) }
            let entries = try connection.withStatement("""
                \(HistoryLog.entrySelect)
                WHERE h.id > ?1 AND h.id <= ?2 \(kinds) \(scope)
                ORDER BY h.id
                """) { statement in
                try statement.bind(cursor, at: 1)
                try statement.bind(through, at: 2)
                if let manager = filter.accountManagerID { try statement.bind(manager, at: 3) }
                return try HistoryLog.collectEntries(statement, users: UserNames(connection))
            }
            return ChangePage(entries: entries, through: through)
        }
    }

    /// The feed's bounds as the connection's transaction sees them.
    static func feedBounds(_ connection: SQLiteConnection) throws -> FeedBounds {
        try connection.withStatement("""
            SELECT (SELECT pruned_through FROM change_feed_horizon),
                   coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'history'), 0)
            """) { statement in
            _ = try statement.step()
            return FeedBounds(prunedThrough: statement.optionalInt64(0) ?? 0, last: statement.int64(1))
        }
    }

    /// The newest committed sequence number as the connection's transaction sees it: the feed
    /// position a snapshot read in that transaction is consistent with.
    static func feedPosition(_ connection: SQLiteConnection) throws -> Int64 {
        try feedBounds(connection).last
    }

    /// The id of the last entry, from `after` on, before the first one written at or after `cutoff`.
    private static func lastEntry(_ connection: SQLiteConnection, after start: Int64, before cutoff: Int64) throws -> Int64? {
        try connection.withStatement("SELECT id, at FROM history WHERE id > ? ORDER BY id") { statement in
            try statement.bind(start, at: 1)
            var last: Int64?
            while try statement.step(), statement.int64(1) < cutoff { last = statement.int64(0) }
            return last
        }
    }
}
