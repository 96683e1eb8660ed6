import CustomerAPI
import CustomerStore
import RPCCore

extension ChangeEvent {
    /// The event of a history entry as the caller may see it (already passed through `Caller.shown`).
    init(_ entry: HistoryEntry) {
        self.init(sequence: entry.id, kind: entry.entity, action: entry.action, entityId: entry.entityId,
                  customerId: entry.customerId, at: entry.at, by: entry.by, via: entry.via, source: entry.source,
                  changes: entry.changes, tombstone: entry.action == "deleted", contact: entry.contact)
    }
}

extension RPCError {
    /// A cursor the feed cannot continue after: OUT_OF_RANGE, with the detail `after: resync` a
    /// consumer acts on (take a snapshot, then watch from it). The message carries all of the
    /// store's error, so no cause is attached: a stale consumer is routine, not a server fault to log.
    init(_ error: ChangeFeedError) {
        let message = switch error {
        case .cursorPruned(let cursor, let prunedThrough):
            "the change feed no longer keeps the events after \(cursor) (it starts after \(prunedThrough)); "
                + "resync: take a snapshot and watch from its position"
        case .cursorAhead(let cursor, let last):
            "the cursor \(cursor) is past the newest change \(last) (another database, or one restored from a backup); "
                + "resync: take a snapshot and watch from its position"
        }
        // The message in the `field: reason` form too, though the detail's reason is the value to act on.
        self.init(.outOfRange, "after: \(message)", details: [ErrorDetail(field: "after", reason: "resync")])
    }
}
