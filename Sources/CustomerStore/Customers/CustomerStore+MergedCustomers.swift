import SQLiteEngine

extension CustomerStore {
    /// What a customer id without a row answers: `merged` naming the customer it lives on in
    /// (the end of the chain when that one was merged on too), else `notFound`. Every read and
    /// write that takes a customer id reports a missing one through here; `field` is the request
    /// field that named it.
    static func missingCustomer(_ connection: SQLiteConnection, id: Int64, field: String = "customerId") throws -> StoreError {
        guard let survivor = try survivor(connection, of: id) else {
            return .notFound("customer \(id) does not exist", field: field)
        }
        return .merged("customer \(id) was merged into customer \(survivor)", into: survivor)
    }

    /// The customer `id` was merged into, followed along later merges; nil when it was never merged.
    static func survivor(_ connection: SQLiteConnection, of id: Int64) throws -> Int64? {
        // Each merge removes its absorbed customer, so a chain never revisits an id; the depth
        // bound only guards against a hand-edited table.
        try connection.withStatement("""
            WITH RECURSIVE chain (id, depth) AS (
                SELECT kept_id, 1 FROM customer_merges WHERE absorbed_id = ?
                UNION ALL
                SELECT m.kept_id, c.depth + 1 FROM customer_merges m JOIN chain c ON m.absorbed_id = c.id WHERE c.depth < 1000
            )
            SELECT id FROM chain ORDER BY depth DESC LIMIT 1
            """) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? statement.int64(0) : nil
        }
    }

    /// Every customer merged into `id`, directly or through customers merged into those.
    static func absorbedCustomers(_ connection: SQLiteConnection, into id: Int64) throws -> [Int64] {
        try connection.withStatement("""
            WITH RECURSIVE absorbed (id, depth) AS (
                SELECT absorbed_id, 1 FROM customer_merges WHERE kept_id = ?
                UNION ALL
                SELECT m.absorbed_id, a.depth + 1 FROM customer_merges m JOIN absorbed a ON m.kept_id = a.id WHERE a.depth < 1000
            )
            SELECT id FROM absorbed
            """) { statement in
            try statement.bind(id, at: 1)
            var ids: [Int64] = []
            while try statement.step() { ids.append(statement.int64(0)) }
            return ids
        }
    }
}
