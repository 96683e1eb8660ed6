import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.ChangeFeedService`: the change feed and the snapshot it starts from (issue 18 §1).
struct ChangeFeedServiceHandler: GuardedService {
    var store: CustomerStore
    /// How far back the feed serves (`customerd --feed-retention-*`).
    var retention: FeedRetention
    /// Set when the server starts its graceful stop: watches end then.
    let shutdown: ChangeFeedShutdown

    func register(with router: inout GuardedRouter) {
        // A watcher sees what a list shows it: its scope's customers (the handler filters), and
        // history entries as ListHistory shows them.
        router.register(ChangeFeedService.watchChanges, requires: .visibleCustomers) { request, writer, context in
            try RepeatedFieldCap.check(request.kinds.count, field: "kinds")
            let caller = try Caller.of(context)
            let watch = ChangeFeedWatch(
                store: store, caller: caller, context: context,
                filter: ChangeFeedFilter(kinds: Set(request.kinds.map(\.stored)),
                                         accountManagerID: caller.visibleCustomers.accountManagerID),
                shutdown: shutdown, checkCaller: writer.checkNow)
            try watch.run(after: request.after, retention: retention) { try writer.send($0) }
        }
        router.register(ChangeFeedService.getFeedBounds, requires: .visibleCustomers) { (_: EmptyRequest, _) in
            let bounds = try store.feedBounds(applying: retention)
            return FeedBoundsResponse(prunedThrough: bounds.prunedThrough, last: bounds.last)
        }
        router.register(ChangeFeedService.snapshotCustomers, requires: .visibleCustomers) {
            (request: StreamCustomersRequest, writer: ServerStreamWriter<SnapshotCustomer>, context) in
            guard let filter = try request.query.visibleFilter(context, resolvingWith: store) else { return }
            try store.streamCustomersWithFeedPosition(filter) { customer, asOf in
                try context.checkCancellation()
                try writer.send(SnapshotCustomer(customer: Customer(customer), asOf: asOf))
            }
        }
    }
}
