import SQLiteEngine

extension CustomerStore {
    /// A key more customers than this share pairs none of them: a key that common (a shared
    /// switchboard, a franchise's domain) says nothing about any two.
    public static let duplicateGroupLimit = 50

    /// One page of candidate duplicate pairs, in order of the pair's lower customer id, each with
    /// its score and reasons (all of them: a pair appears once).
    ///
    /// Never compares every customer with every other: customers are walked in id order through
    /// their stored keys (`customer_match_keys`), and only a key someone else shares costs a second
    /// index probe, for the others that have it. One read transaction, so a page is consistent.
    /// - Parameters:
    ///   - limit: pairs per page; a page ends after the customer whose pairs reach it, so it
    ///     may hold a few more.
    ///   - pageToken: the previous page's `nextPageToken`.
    /// - Throws: `invalidArgument` on `pageToken` or `limit`.
    public func findDuplicates(limit: Int, pageToken: String?) throws -> StoredDuplicatePage {
        guard limit > 0 else { throw StoreError.invalid("limit", "must be positive") }
        let after: Int64 = try pageToken.map { token -> Int64 in
            guard let id = Int64(token), id >= 0 else {
                throw StoreError.invalid("pageToken", "is not a page token of FindDuplicates")
            }
            return id
        } ?? 0
        return try read { connection in
            var pairs: [StoredDuplicatePair] = []
            var current: (id: Int64, partners: [Int64: Set<DuplicateReason>])?
            var names: [Int64: StoredCustomerRef] = [:]
            var lastFlushed: Int64?
            func flush() throws {
                guard let (id, partners) = current else { return }
                lastFlushed = id
                for (other, reasons) in partners.sorted(by: { $0.key < $1.key }) {
                    let ordered = DuplicateReason.allCases.filter(reasons.contains)
                    pairs.append(StoredDuplicatePair(
                        first: try Self.customerRef(connection, id, &names), second: try Self.customerRef(connection, other, &names),
                        score: min(100, ordered.reduce(0) { $0 + $1.weight }), reasons: ordered))
                }
                current = nil
            }
            let finished = try connection.withStatement("""
                SELECT a.customer_id, a.kind, a.key FROM customer_match_keys a INDEXED BY customer_match_keys_by_customer
                WHERE a.customer_id > ?
                  AND EXISTS (SELECT 1 FROM customer_match_keys b
                              WHERE b.kind = a.kind AND b.key = a.key AND b.customer_id <> a.customer_id)
                ORDER BY a.customer_id
                """) { statement -> Bool in
                try statement.bind(after, at: 1)
                while try statement.step() {
                    let id = statement.int64(0)
                    if let open = current, open.id != id {
                        try flush()
                        if pairs.count >= limit { return false }
                    }
                    guard let kind = MatchKey.Kind(rawValue: statement.text(1)) else { continue }
                    var partners = current?.partners ?? [:]
                    for other in try Self.sharers(connection, kind, statement.text(2)) where other > id {
                        partners[other, default: []].insert(DuplicateReason(kind))
                    }
                    current = (id, partners)
                }
                return true
            }
            try flush()
            return StoredDuplicatePage(pairs: pairs, nextPageToken: finished ? nil : lastFlushed.map(String.init))
        }
    }

    /// The customers that have the key, none when more than `duplicateGroupLimit` do.
    private static func sharers(_ connection: SQLiteConnection, _ kind: MatchKey.Kind, _ key: String) throws -> [Int64] {
        try connection.withStatement("""
            SELECT customer_id FROM customer_match_keys WHERE kind = ? AND key = ? ORDER BY customer_id LIMIT ?
            """) { statement in
            try statement.bind([.text(kind.rawValue), .text(key), .integer(Int64(duplicateGroupLimit) + 1)])
            var ids: [Int64] = []
            while try statement.step() { ids.append(statement.int64(0)) }
            return ids.count > duplicateGroupLimit ? [] : ids
        }
    }

    /// A customer's id, number and name, read once per page.
    private static func customerRef(_ connection: SQLiteConnection, _ id: Int64,
                                    _ known: inout [Int64: StoredCustomerRef]) throws -> StoredCustomerRef {
        if let ref = known[id] { return ref }
        let ref = try connection.withStatement("SELECT number, name FROM customers WHERE id = ?") { statement in
            try statement.bind(id, at: 1)
            return try statement.step()
                ? StoredCustomerRef(id: id, number: statement.int64(0), name: statement.text(1))
                : StoredCustomerRef(id: id, number: 0, name: "")
        }
        known[id] = ref
        return ref
    }
}
