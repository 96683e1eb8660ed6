/// `customer.v1.ChangeFeedService`: the change feed, for keeping a copy of the customers in sync.
public struct Changes: Sendable {
    let channel: ClientChannel

    /// Every change after `after` (0: all the server keeps; nil: from now on), then live changes,
    /// until the iteration stops or the task is cancelled. Resume with the last event's `sequence`.
    /// Throws `OUT_OF_RANGE` (detail `after: resync`) when the cursor is no longer served.
    public func watch(after: Int64? = nil, kinds: [HistoryEntry.Entity] = [], options: CallOptions = CallOptions())
        -> ServerStreamResponse<ChangeEvent>
    {
        channel.call(ChangeFeedService.watchChanges, WatchChangesRequest(after: after, kinds: kinds), options: options)
    }

    /// The sequence numbers the feed serves now (watch after `last` for what commits next).
    public func bounds(options: CallOptions = CallOptions()) async throws -> FeedBoundsResponse {
        try await channel.call(ChangeFeedService.getFeedBounds, EmptyRequest(), options: options)
    }

    /// The customers with the feed position each row is as of: the start of an initial sync.
    public func snapshot(_ query: CustomerQuery = CustomerQuery(), options: CallOptions = CallOptions())
        -> ServerStreamResponse<SnapshotCustomer>
    {
        channel.call(ChangeFeedService.snapshotCustomers, StreamCustomersRequest(query: query), options: options)
    }
}
