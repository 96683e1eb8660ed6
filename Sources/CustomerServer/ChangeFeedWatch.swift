import CustomerAPI
import CustomerStore
import RPCServing

/// One `WatchChanges` call: the backlog after the cursor, then live changes, on the call's own
/// connection thread until the call ends.
///
/// Memory stays bounded whatever the consumer's pace: the feed is read a page at a time, each page
/// in its own short read transaction (no snapshot or reader is held while sending), and `send`
/// blocks once the client's flow-control window is full, so the next page is read only as the
/// client takes events. Writers never wait for a watcher: the only thing they share is
/// ``CommitSignal``, which a write passes with one lock.
struct ChangeFeedWatch {
    /// Events read per transaction: enough to amortise the read, few enough to stay small.
    static let pageSize = 256

    let store: CustomerStore
    let caller: Caller
    let context: ServerContext
    let filter: ChangeFeedFilter
    let shutdown: ChangeFeedShutdown
    /// The check every message of the call gets (`GuardedRouter`, `CallerStanding`), run once
    /// more for each page, empty ones included: a watch lives for days and may wait long between
    /// events, and one whose caller was deactivated or shown less ends at a commit it wakes for
    /// once the change is acknowledged, not only at its next event.
    let checkCaller: () throws -> Void

    /// Sends every event after `after` (nil: after the newest one now), then waits for commits and
    /// sends theirs, until the call is cancelled (which `send` or the wait notices).
    /// - Throws: `OUT_OF_RANGE` (detail `after: resync`) when the cursor is outside what the feed
    ///   serves; `UNAVAILABLE` naming the cursor to resume after when the server is stopping.
    func run(after: Int64?, retention: FeedRetention, send: (ChangeEvent) throws -> Void) throws {
        let bounds = try store.feedBounds(applying: retention)
        var cursor = after ?? bounds.last
        do {
            try CustomerStore.checkCursor(cursor, within: bounds)
        } catch let error as ChangeFeedError {
            throw RPCError(error)
        }
        let signal = store.commits
        // The last event the client was sent: where a watch ended by its caller's standing resumes.
        var delivered = cursor
        do {
            try watch(from: &cursor, delivered: &delivered, signal: signal, send: send)
        } catch let refused as RPCError where refused.code == .unauthenticated || refused.code == .permissionDenied {
            // Only the caller's standing (`checkCaller`, the writer's check) refuses once the watch
            // runs: name the cursor to resume after, as the shutdown does.
            throw RPCError(refused.code, "\(refused.message); the watch ended after sequence \(delivered)",
                           details: refused.details)
        }
    }

    private func watch(from cursor: inout Int64, delivered: inout Int64, signal: CommitSignal,
                       send: (ChangeEvent) throws -> Void) throws {
        try context.withCancelHandler({ signal.wakeAll() }) {
            while true {
                try context.checkCancellation()
                if shutdown.isStopping {
                    throw RPCError(.unavailable, "the server is shutting down: resume after sequence \(cursor)")
                }
                // Noted before the read, so a commit the read misses still ends the wait below.
                let seen = signal.count
                let page = try store.changes(after: cursor, filter: filter, limit: Self.pageSize)
                // After the read, so a demotion committed before it stops this page.
                try checkCaller()
                for entry in page.entries {
                    try send(ChangeEvent(caller.shown(HistoryEntry(entry))))
                    delivered = entry.id
                }
                delivered = page.through
                if page.through == cursor {
                    signal.wait(after: seen) { context.isCancelled || shutdown.isStopping }
                }
                cursor = page.through
            }
        }
    }
}
