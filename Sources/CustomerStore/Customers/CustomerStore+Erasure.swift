import SQLiteEngine

extension CustomerStore {
    /// Deletes a customer for good, in one transaction; it cannot be undone (deactivating is the
    /// way that keeps it). Its number is never handed out again, and its history stays, ending
    /// with a `deleted` entry.
    ///
    /// - A customer nothing else refers to (no activities, projects, invoices, files or links) is
    ///   removed whole, with its addresses, contacts and settings.
    /// - Otherwise it is erased (issue 16 §3): its personal data (every field but its number),
    ///   addresses, settings and segments, its contacts (each erased as by ``deleteContact(id:by:)``)
    ///   and every value in the history of all of them are removed. A tombstone keeps its id and
    ///   number, so its activities, projects, files and links still refer to it and read as
    ///   "Customer deleted"; issued invoices keep their own snapshot of what they said.
    ///
    /// Either way the freed bytes are zeroed and the log truncated after the commit (see
    /// ``Checkpointer/truncateLogAfterCommit()``). Deleting a deleted customer changes nothing.
    /// - Throws: `notFound`; `brokenRule` for an unknown acting user.
    public func deleteCustomer(id: Int64, by author: Author) throws {
        try write { connection in
            try Self.requireActingUser(connection, author)
            let current = try requireCustomer(connection, id: id)
            if current.deleted { return }
            var erased = try HistoryLog.eraseValues(connection, .customer, id: id)
            // The customers merged into it live on in it: their histories hold its data too.
            let absorbedIDs = try Self.absorbedCustomers(connection, into: id)
            for absorbed in absorbedIDs {
                erased += try HistoryLog.eraseValues(connection, .customer, id: absorbed)
            }
            // The search index keeps its own copy of each text and follows the writes only later:
            // the erased texts leave it now, in this transaction.
            try SearchIndex.forget(connection, customerIDs: [id] + absorbedIDs)
            erased += [current.name, current.description, current.vatNumber, current.businessID, current.email,
                       current.website, current.phone].compactMap { $0 }
            for contact in try ContactRow.fetchAll(connection, customerID: id, includeDeactivated: true) {
                try erase(connection, contact: contact, by: author)
            }
            erased += try eraseAddresses(connection, customerID: id)
            erased += try eraseSettings(connection, customerID: id)
            try connection.run("DELETE FROM customer_segments WHERE customer_id = ?", [.integer(id)])
            let now = nextUpdatedAt(after: current.updatedAt)
            if try Self.isReferenced(connection, customerID: id) {
                try connection.run("""
                    UPDATE customers SET name = CAST(number AS TEXT), name_key = '', search_text = '',
                        account_manager_id = NULL, description = NULL, vat_number = NULL, country = NULL,
                        industry_id = NULL, email = NULL, website = NULL, phone = NULL, business_id = NULL,
                        registry_status = NULL, registry_checked_at = NULL, active = 0, deleted = 1,
                        version = version + 1, updated_at = ?, updated_by = ?
                    WHERE id = ?
                    """, [.integer(now), .integer(author.userID), .integer(id)])
                try Self.storeMatchKeys(connection, customerID: id)
            } else {
                try connection.run("DELETE FROM customers WHERE id = ?", [.integer(id)])
                try retireNumber(connection, current.number)
            }
            // The manager it had: its row is gone or cleared, and the tombstone is for that manager's copy too.
            try HistoryLog.append(connection, .customer, id: id, customerID: id, .deleted, at: now, by: author,
                                  manager: .was(current.accountManager?.id))
            try Self.forgetAnswers(connection, mentioning: erased)
            checkpointer.truncateLogAfterCommit()
        }
    }

    /// Whether records that outlive an erasure refer to the customer (a tombstone must stay).
    private static func isReferenced(_ connection: SQLiteConnection, customerID: Int64) throws -> Bool {
        try connection.withStatement("""
            SELECT EXISTS (SELECT 1 FROM activities WHERE customer_id = ?1)
                OR EXISTS (SELECT 1 FROM projects WHERE customer_id = ?1)
                OR EXISTS (SELECT 1 FROM invoices WHERE customer_id = ?1)
                OR EXISTS (SELECT 1 FROM files WHERE customer_id = ?1)
                OR EXISTS (SELECT 1 FROM links WHERE customer_id = ?1)
            """) { statement in
            try statement.bind(customerID, at: 1)
            return try statement.step() && statement.int64(0) != 0
        }
    }

    /// Removes every address of the customer, the head office last (a trigger keeps it while
    /// others exist), with the values of their history. - Returns: the values removed.
    private func eraseAddresses(_ connection: SQLiteConnection, customerID: Int64) throws -> [String] {
        var erased: [String] = []
        let addresses = try AddressRow.fetchAll(connection, customerID: customerID)
        for address in addresses.reversed() {   // head office first in the list, so last here
            erased += try HistoryLog.eraseValues(connection, .address, id: address.id)
            erased += address.street + [address.postalCode, address.city, address.region].compactMap { $0 }
            try connection.run("DELETE FROM addresses WHERE id = ?", [.integer(address.id)])
        }
        return erased
    }

    /// Removes the customer's invoicing settings (an invoice address, an email, a reference).
    /// - Returns: the values removed.
    private func eraseSettings(_ connection: SQLiteConnection, customerID: Int64) throws -> [String] {
        let erased = try connection.withStatement("""
            SELECT invoice_email, e_invoice_address, reference FROM customer_settings WHERE customer_id = ?
            """) { statement in
            try statement.bind(customerID, at: 1)
            guard try statement.step() else { return [String]() }
            return [statement.optionalText(0), statement.optionalText(1), statement.optionalText(2)].compactMap { $0 }
        }
        try connection.run("DELETE FROM customer_settings WHERE customer_id = ?", [.integer(customerID)])
        return erased
    }
}
