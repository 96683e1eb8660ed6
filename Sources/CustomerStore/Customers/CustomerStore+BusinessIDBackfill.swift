import SQLiteEngine

extension CustomerStore {
    /// Gives the customers that migration 14 listed in `business_id_backfill` (stored with a VAT
    /// number before version 10 added `business_id`) the business id their number names under
    /// their country's rule, with the search text and match keys that find them by it, then
    /// empties the list: one transaction, at open, before anything is served.
    ///
    /// Idempotent: a crash before the COMMIT leaves the list as it was and the next open does it
    /// again; an empty list costs one probe. Without a rule (a store opened without
    /// `StoreOptions.vatNormaliser`, as tools and tests may do) the list waits for an open that
    /// has one. A number the rule refuses (stored before numbers were checked) or that names no
    /// business id (a German one) is left as it is. The version, `updated_at` and the history stay
    /// as they are: the customer's number says what it said, now in a second column too, and a
    /// server upgrade must not make any client's update with an expected version fail; so the
    /// search index, which follows the history, is rebuilt here (`SearchIndex.rebuildSQL`).
    /// - Returns: how many customers got a business id.
    @discardableResult
    static func backfillBusinessIDs(_ connection: SQLiteConnection, normaliser: VATNumberNormaliser?) throws -> Int {
        // The list exists from version 14 on; an open that stops below it (`migrateUpTo`) has none.
        guard let normaliser, try Migrations.currentVersion(of: connection) >= Migrations.activityProjects.version else {
            return 0
        }
        return try connection.transaction("BEGIN IMMEDIATE") {
            let ids = try connection.withStatement("SELECT customer_id FROM business_id_backfill ORDER BY customer_id") {
                statement in
                var ids: [Int64] = []
                while try statement.step() { ids.append(statement.int64(0)) }
                return ids
            }
            var filled = 0
            for id in ids {
                guard let customer = try CustomerRow.fetch(connection, CustomerRow.byID, key: id),
                      customer.businessID == nil, let vatNumber = customer.vatNumber,
                      // A refusal is an answer here, not a failure: the number stays as it was stored.
                      let businessID = (try? normaliser(vatNumber, customer.country))?.businessID else {
                    continue
                }
                var fields = CustomerRow.fields(of: customer)
                fields.businessID = businessID
                try connection.run("UPDATE customers SET business_id = ?, search_text = ? WHERE id = ?", [
                    .text(businessID), .text(SearchKey.searchText(of: fields, number: customer.number)), .integer(id),
                ])
                // Its VAT match key is the business id's now (migration 13 made it from the number).
                try storeMatchKeys(connection, customerID: id)
                filled += 1
            }
            if !ids.isEmpty { try connection.run("DELETE FROM business_id_backfill") }
            // These texts changed without a history entry, which the search index follows: it is
            // built again, with its mark, in this transaction (once in a database's life).
            if filled > 0, try Migrations.currentVersion(of: connection) >= Migrations.searchIndex.version {
                try connection.execute(SearchIndex.rebuildSQL)
            }
            return filled
        }
    }
}
