import RPCCore

/// `customer.v1.ChangeFeedService`: the change feed other systems keep their copies with (issue 18).
public enum ChangeFeedService {
    public static let name = "customer.v1.ChangeFeedService"

    public static let watchChanges = ServerStreamingMethod<WatchChangesRequest, ChangeEvent>(
        service: name, method: "WatchChanges",
        summary: "Every committed change after the cursor `after` (by sequence number; 0: every change the server "
            + "keeps; absent: none, only what commits from now on), then live changes as they commit, until the "
            + "call is cancelled; flow-controlled (the server reads pages as the client reads). "
            + "Only changes of customers the caller may read, and, for a caller with own scope, of those that were its customers when the change was made (so it is told of a hand-off, an erasure or a merge away, and of nothing after); money fields hidden without Financial figures. "
            + "The caller is checked again before each page and each event: deactivated, the watch ends "
            + "UNAUTHENTICATED, shown less by a new profile (or no longer granted Customers: read) PERMISSION_DENIED, "
            + "naming the sequence to resume after. "
            + "A cursor older than the server keeps (or newer than its newest change) is OUT_OF_RANGE "
            + "with the detail `after: resync`: take a snapshot (SnapshotCustomers) and watch from it. "
            + "A server shutting down ends every watch at once with UNAVAILABLE naming the sequence to resume "
            + "after (it does not wait for the grace period).")
    public static let getFeedBounds = UnaryMethod<EmptyRequest, FeedBoundsResponse>(
        service: name, method: "GetFeedBounds",
        summary: "The sequence numbers the feed serves now: after `prunedThrough` up to `last`.")
    public static let snapshotCustomers = ServerStreamingMethod<StreamCustomersRequest, SnapshotCustomer>(
        service: name, method: "SnapshotCustomers",
        summary: "StreamCustomers with each row's feed position (`asOf`): watch after the first message's `asOf` "
            + "and skip a customer's events up to its row's `asOf`; nothing is lost or applied twice. "
            + "Rows come in id order (`query.order` is not used), so a customer renamed or renumbered "
            + "while the snapshot runs is neither skipped nor sent twice. "
            + "A copy asks `query.status` all (absent: active customers only, as in StreamCustomers). "
            + "An erased customer's tombstone row comes (`deleted` true) only with `query.changedSince`; no row carries `headOffice` "
            + "(as in every listing: GetCustomer has it, the feed's `headOfficeSet` events name its address). "
            + "With no rows there is no `asOf`: watch after GetFeedBounds' `last` read before the snapshot.")
}
