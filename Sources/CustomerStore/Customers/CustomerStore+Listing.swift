extension CustomerStore {
    /// The most customers one page may hold.
    public static let maxPageSize = 1_000
    /// The most rows a stream reads in one read transaction (its first batches are smaller: ``StreamBatches``).
    static let streamBatchSize = 500

    /// One page of customers matching `filter`, in `order`, read in one snapshot.
    ///
    /// - Parameters:
    ///   - limit: 1...1000.
    ///   - pageToken: `nil` (or empty) for the first page, else the previous page's `nextPageToken`,
    ///     used with the same filter and order. A row that exists throughout a paging session is
    ///     returned exactly once, whatever is inserted or deleted between pages.
    /// - Throws: `invalidArgument` on `limit`, `country` or `pageToken`.
    public func listCustomers(_ filter: CustomerFilter, order: CustomerOrder, limit: Int,
                              pageToken: String?) throws -> CustomerPage {
        var customers: [StoredCustomer] = []
        let next = try listCustomers(filter, order: order, limit: limit, pageToken: pageToken) { customers.append(try $0.stored()) }
        return CustomerPage(customers: customers, nextPageToken: next)
    }

    /// `listCustomers`, each customer of the page lent to `each` as its row is read (inside the
    /// read; see ``CustomerListingRow``), and the next page's token returned: a server answering
    /// with its own message writes it from the row, without a stored record, its strings or a
    /// page of them made and released first.
    public func listCustomers(_ filter: CustomerFilter, order: CustomerOrder, limit: Int, pageToken: String?,
                              each: (CustomerListingRow) throws -> Void) throws -> String? {
        guard (1...Self.maxPageSize).contains(limit) else {
            throw StoreError.invalid("limit", "must be between 1 and \(Self.maxPageSize)")
        }
        let query = try CustomerListingQuery(filter, order: order)
        var position: ListPosition?
        if let pageToken, !pageToken.isEmpty {
            position = try PageToken.decode(pageToken, order: order, fingerprint: query.fingerprint)
        }
        let page = try read { try query.page($0, after: position, limit: limit, each: each) }
        return page.hasMore
            ? page.last.map { PageToken(order: order, fingerprint: query.fingerprint, position: $0).encoded() }
            : nil
    }

    /// Calls `body` for every customer matching `filter`, in `order`, in constant memory.
    ///
    /// Rows are read in batches (16 rows, then twice as many each time up to 500:
    /// ``StreamBatches``), each in its own read transaction, and `body` runs between batches, not
    /// inside one, so a slow consumer never holds a reader or a snapshot, and one that stops
    /// taking rows early holds a small batch.
    /// By name or number, the ids of the customers matching at the start are read once, in
    /// `order`, and each batch's rows by id (``StreamIDs``): every customer matching at the start
    /// is delivered exactly once, in the start's order, as it is at its turn, renamed
    /// (renumbered) meanwhile or not; one erased, or no longer matching `filter`, by its turn is
    /// left out, and one that begins to match after the start is not delivered. By id (no update
    /// moves a row in it) the batches are keyset ranges: a row that exists throughout is
    /// delivered exactly once, and one inserted meanwhile ahead of the position too.
    ///
    /// - Parameter osUser: the OS user (uid) the stream runs for, whose budget of id files it counts
    ///   in (``StreamIDBudget``); nil: the server's own.
    public func streamCustomers(_ filter: CustomerFilter, order: CustomerOrder, osUser: UInt32?,
                                _ body: (StoredCustomer) throws -> Void) throws {
        try streamCustomers(filter, order: order, osUser: osUser, reportingFeedPosition: false) { customer, _ in try body(customer) }
    }

    /// `streamCustomers` by id, each customer with the change feed's position of the read
    /// transaction it was read in (see ``feedPosition(_:)``): the row is as of that sequence
    /// number, so a consumer that watches from the first row's position and skips a customer's
    /// events up to its row's position misses no change and applies none twice (issue 18 §1,
    /// initial sync). By id, because an event carries only the fields it changed: in name order a
    /// customer renamed behind the stream's position between two batches was never delivered,
    /// and the consumer got only its new name from the feed (race21, contrib/hostile/stateful_races.py).
    public func streamCustomersWithFeedPosition(_ filter: CustomerFilter,
                                                _ body: (StoredCustomer, Int64) throws -> Void) throws {
        try streamCustomers(filter, order: .byID, osUser: nil, reportingFeedPosition: true, body)
    }

    private func streamCustomers(_ filter: CustomerFilter, order: CustomerOrder, osUser: UInt32?, reportingFeedPosition: Bool,
                                 _ body: (StoredCustomer, Int64) throws -> Void) throws {
        let query = try CustomerListingQuery(filter, order: order)
        guard order == .byID else {
            // By name or number a customer can move in the order while the stream runs: its ids
            // are fixed at the start (``StreamIDs``). By id none moves, and the keyset holds no ids.
            return try streamInStartOrder(scan: query.idsSQLText(), osUser: osUser, rows: { try query.customers($0, ids: $1, slots: $2) }) {
                try body($0, 0)
            }
        }
        var position: ListPosition?
        var batches = StreamBatches()
        while true {
            let (batch, feedPosition) = try read { connection in
                (try query.page(connection, after: position, limit: batches.next),
                 reportingFeedPosition ? try Self.feedPosition(connection) : 0)
            }
            for customer in batch.customers { try body(customer, feedPosition) }
            guard batch.hasMore, let last = batch.last else { return }
            position = last
            batches.grow()
        }
    }
}
