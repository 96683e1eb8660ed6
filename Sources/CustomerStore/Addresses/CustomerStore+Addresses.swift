import Foundation
import SQLiteEngine

extension CustomerStore {
    /// Adds an address to a customer. The customer's FIRST address becomes its head office in the
    /// same transaction (the schema's trigger sets it; the customer's version and history record it).
    ///
    /// - Throws: `notFound` (customer), `invalidArgument` (every invalid field; `country` is required),
    ///   `brokenRule` for an unknown acting user.
    public func addAddress(customerID: Int64, _ fields: StoredAddressFields, by author: Author) throws -> StoredAddress {
        try write { connection in try addAddress(connection, customerID: customerID, fields, by: author) }
    }

    /// `addAddress` inside the caller's write transaction (shared with the registry refresh).
    func addAddress(_ connection: SQLiteConnection, customerID: Int64, _ fields: StoredAddressFields, by author: Author) throws
        -> StoredAddress {
        let (columns, violations) = AddressValidator.validate(fields, onto: nil)
        let headOffice = try Self.headOfficeID(connection, customerID: customerID)
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        try Self.requireActingUser(connection, author)
        let now = nowMilliseconds()
        try connection.run(Self.insertAddresses.oneRowSQL, Self.insertValues(of: columns, customerID: customerID, at: now, by: author))
        let id = connection.lastInsertRowID
        try HistoryLog.append(connection, .address, id: id, customerID: customerID, .created, at: now, by: author,
                              changes: HistoryLog.creation(columns.historyValues))
        if headOffice == nil {
            try recordHeadOfficeChange(connection, customerID: customerID, from: nil, to: id, by: author)
        }
        return try requireAddress(connection, id: id)
    }

    /// New addresses' rows, bound to `insertValues(of:customerID:at:by:id:)`; the id NULL lets SQLite
    /// choose it. The schema's trigger makes a customer's first address its head office.
    static let insertAddresses = MultiRowInsert(
        into: "addresses",
        columns: ["id", "customer_id", "street1", "street2", "street3", "postal_code", "city", "region", "country", "kind",
                  "version", "created_at", "created_by", "updated_at", "updated_by"],
        row: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)")

    static func insertValues(of columns: AddressColumns, customerID: Int64, at now: Int64, by author: Author,
                             id: Int64? = nil) -> [SQLValue] {
        [SQLValue(id), .integer(customerID)] + columns.values
            + [.integer(now), .integer(author.userID), .integer(now), .integer(author.userID)]
    }

    /// Changes the given fields of an address (partial; an empty string clears an optional field);
    /// when every given field equals the stored one once normalised, nothing is written and the
    /// address is returned as it is (no version, no history entry, no feed event).
    ///
    /// - Throws: `notFound`, `aborted` on a stale `expectedVersion`, `invalidArgument` (all invalid fields).
    public func updateAddress(id: Int64, _ fields: StoredAddressFields, expectedVersion: Int64?,
                              by author: Author) throws -> StoredAddress {
        try write { connection in
            let current = try requireAddress(connection, id: id)
            try Self.checkVersion(expectedVersion, current: current.version, of: "address \(id)")
            return try updateAddress(connection, current, fields, by: author)
        }
    }

    /// The update of `current` inside the caller's write transaction (shared with the registry refresh).
    func updateAddress(_ connection: SQLiteConnection, _ current: StoredAddress, _ fields: StoredAddressFields, by author: Author) throws
        -> StoredAddress {
        let (columns, violations) = AddressValidator.validate(fields, onto: current)
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        try Self.requireActingUser(connection, author)
        // Every given field as stored: the address as it is, nothing written (as a customer's update).
        if HistoryLog.isUnchanged(from: AddressColumns(current).historyValues, to: columns.historyValues) { return current }
        let now = nextUpdatedAt(after: current.updatedAt)
        try connection.run("""
            UPDATE addresses SET street1 = ?, street2 = ?, street3 = ?, postal_code = ?, city = ?, region = ?,
                country = ?, kind = ?, version = version + 1, updated_at = ?, updated_by = ?
            WHERE id = ?
            """, columns.values + [.integer(now), .integer(author.userID), .integer(current.id)])
        try HistoryLog.append(connection, .address, id: current.id, customerID: current.customerID, .updated, at: now,
                              by: author, changes: HistoryLog.changes(from: AddressColumns(current).historyValues,
                                                                      to: columns.historyValues))
        return try requireAddress(connection, id: current.id)
    }

    /// Removes an address. Removing the last one leaves the customer without a head office.
    ///
    /// - Returns: the id of the customer the address belonged to.
    /// - Throws: `notFound`; `failedPrecondition` for the head office while other addresses exist
    ///   (move the head office first), and nothing changes.
    @discardableResult
    public func removeAddress(id: Int64, by author: Author) throws -> Int64 {
        try write { connection in
            let current = try requireAddress(connection, id: id)
            let others = try connection.withStatement("SELECT count(*) FROM addresses WHERE customer_id = ? AND id <> ?") {
                try $0.bind([.integer(current.customerID), .integer(id)])
                return try $0.step() ? $0.int64(0) : 0
            }
            if current.isHeadOffice, others > 0 {
                throw StoreError.failedPrecondition("address \(id) is the head office of customer \(current.customerID): "
                    + "move the head office to another address first (SetHeadOffice)", field: "id")
            }
            try Self.requireActingUser(connection, author)
            // The foreign key's ON DELETE SET NULL clears the head office when this was the last address.
            try connection.run("DELETE FROM addresses WHERE id = ?", [.integer(id)])
            try HistoryLog.append(connection, .address, id: id, customerID: current.customerID, .deleted,
                                  at: nowMilliseconds(), by: author)
            if current.isHeadOffice {
                try recordHeadOfficeChange(connection, customerID: current.customerID, from: id, to: nil, by: author)
            }
            return current.customerID
        }
    }

    /// Makes an address its customer's head office. One UPDATE of the customer's single head-office
    /// column under the write lock, so concurrent moves serialize and never leave two or none.
    /// The two addresses whose `isHeadOffice` changed are written too, in the same transaction.
    ///
    /// - Returns: the customer's addresses, head office first.
    /// - Throws: `notFound`. Setting the current head office again changes nothing.
    public func setHeadOffice(addressID: Int64, by author: Author) throws -> [StoredAddress] {
        try write { connection in
            let address = try requireAddress(connection, id: addressID)
            try Self.requireActingUser(connection, author)
            if !address.isHeadOffice {
                let previous = try Self.headOfficeID(connection, customerID: address.customerID, field: "id")
                let previousAddress = try previous.map { try requireAddress(connection, id: $0) }
                try connection.run("UPDATE customers SET head_office_address_id = ? WHERE id = ?",
                                   [.integer(addressID), .integer(address.customerID)])
                try recordHeadOfficeChange(connection, customerID: address.customerID, from: previous, to: addressID,
                                           by: author)
                if let previousAddress { try recordHeadOfficeFlag(connection, previousAddress, to: false, by: author) }
                try recordHeadOfficeFlag(connection, address, to: true, by: author)
            }
            return try AddressRow.fetchAll(connection, customerID: address.customerID)
        }
    }

    /// Writes an address whose head-office flag changed (it was `current` before) as an update of
    /// it: the flag is one of its fields, and created/updated at and by is kept per address (the
    /// brief), so version +1, updated at/by and an `updated` history entry (the change feed's event).
    private func recordHeadOfficeFlag(_ connection: SQLiteConnection, _ current: StoredAddress, to isHeadOffice: Bool,
                                      by author: Author) throws {
        let now = nextUpdatedAt(after: current.updatedAt)
        try connection.run("UPDATE addresses SET version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
                           [.integer(now), .integer(author.userID), .integer(current.id)])
        try HistoryLog.append(connection, .address, id: current.id, customerID: current.customerID, .updated, at: now,
                              by: author, changes: HistoryLog.flagChange("isHeadOffice", from: current.isHeadOffice,
                                                                         to: isHeadOffice))
    }

    /// A customer's addresses, head office first, then by id. - Throws: `notFound` (customer).
    public func addresses(customerID: Int64) throws -> [StoredAddress] {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try AddressRow.fetchAll(connection, customerID: customerID)
        }
    }

    /// The customer's head office, or nil when it has no address. - Throws: `notFound` (customer).
    public func headOffice(customerID: Int64) throws -> StoredAddress? {
        try customer(id: customerID).headOffice
    }

    /// What an invoicing integration needs of the customer (head office and VAT number) and which are missing.
    /// - Throws: `notFound` (customer).
    public func invoicingReadiness(customerID: Int64) throws -> StoredInvoicingReadiness {
        let customer = try customer(id: customerID)
        var missing: [String] = []
        if customer.headOffice == nil { missing.append("headOffice") }
        if customer.vatNumber == nil { missing.append("vatNumber") }
        return StoredInvoicingReadiness(missing: missing, headOffice: customer.headOffice, vatNumber: customer.vatNumber)
    }

    func requireAddress(_ connection: SQLiteConnection, id: Int64) throws -> StoredAddress {
        guard let address = try AddressRow.fetch(connection, id: id) else {
            throw StoreError.notFound("address \(id) does not exist")
        }
        return address
    }
}
