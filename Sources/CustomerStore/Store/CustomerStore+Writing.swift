import Foundation
import SQLiteEngine

/// Checks and stamps shared by every write of a versioned record (customer, address, contact, activity).
extension CustomerStore {
    /// `updated_at` for a write: now, but always after the previous value, so every write is
    /// visible to a "changed since" query even within one millisecond or after a clock step back.
    func nextUpdatedAt(after previous: Date) -> Int64 {
        max(nowMilliseconds(), previous.milliseconds + 1)
    }

    /// Refuses a write whose `expectedVersion` is given and stale (optimistic concurrency).
    /// - Parameter record: how the message names the record, e.g. "contact 7".
    static func checkVersion(_ expected: Int64?, current: Int64, of record: String) throws {
        if let expected, expected != current {
            throw StoreError.aborted("\(record) was changed by someone else: expected version \(expected), "
                + "current version is \(current); read it again and retry", field: "expectedVersion")
        }
    }

    /// The acting user must exist and may still write as its call was admitted (`AuthorStanding`).
    static func requireActingUser(_ connection: SQLiteConnection, _ author: Author) throws {
        _ = try actingUserName(connection, author)
    }

    /// The acting user's name (for the record a write answers with). - Throws: as `requireActingUser`.
    static func actingUserName(_ connection: SQLiteConnection, _ author: Author) throws -> String {
        try admitted(author) { try AuthorStanding.read(connection, userID: $0) }
    }

    /// The name of `author`, once the standings `read` gives of the person and of the service the
    /// call came through (when one did) admit the write.
    /// - Parameter read: a user's standing by users.id (nil: no such user); a create batch passes
    ///   its once-a-group cache.
    /// - Throws: `authorDeactivated`, `authorRightsChanged` (of the person or of the service);
    ///   `brokenRule` when no user has either id.
    static func admitted(_ author: Author, reading read: (Int64) throws -> AuthorStanding?) throws -> String {
        let standing = try existing(read(author.userID), author.userID)
        try standing.admit(author)
        if let service = author.viaUserID { try existing(read(service), service).admitService(service) }
        return standing.name
    }

    private static func existing(_ standing: AuthorStanding?, _ id: Int64) throws -> AuthorStanding {
        guard let standing else {
            // Users are never removed and the server names a user it has just read: no request can
            // cause this, so it names no request field.
            throw StoreError.brokenRule("the acting user \(id) does not exist", context: "checking the write's author")
        }
        return standing
    }

    /// The customer's head office address id, after checking that the customer exists; inside
    /// a write (on the writer) also that it is not deleted: an erased customer gets no new
    /// records, while what it keeps (invoices, activities) can still be read.
    /// - Throws: `notFound`; `failedPrecondition` for a deleted customer inside a write; both name
    ///   `field`, the request field that named the customer (`id` when it named a record of it).
    static func headOfficeID(_ connection: SQLiteConnection, customerID: Int64, field: String = "customerId") throws -> Int64? {
        try connection.withStatement("SELECT head_office_address_id, deleted FROM customers WHERE id = ?") { statement in
            try statement.bind(customerID, at: 1)
            guard try statement.step() else { throw try missingCustomer(connection, id: customerID, field: field) }
            if statement.int64(1) != 0, connection.role == .writer { throw StoreError.deletedCustomer(customerID, field: field) }
            return statement.optionalInt64(0)
        }
    }

    /// ``headOfficeID(_:customerID:field:)``'s checks alone, for a write to the customer or one of
    /// its records that does not need its head office: it exists, and inside a write it is not
    /// deleted.
    static func requireWritableCustomer(_ connection: SQLiteConnection, customerID: Int64,
                                        field: String = "customerId") throws {
        _ = try headOfficeID(connection, customerID: customerID, field: field)
    }

    /// Records that a customer's head office changed (it is part of the customer record): the
    /// customer's version +1, updated at/by, and a `headOfficeSet` history entry.
    func recordHeadOfficeChange(_ connection: SQLiteConnection, customerID: Int64, from old: Int64?, to new: Int64?,
                                by author: Author) throws {
        let now = nowMilliseconds()
        try connection.run("""
            UPDATE customers SET version = version + 1, updated_at = max(?, updated_at + 1), updated_by = ? WHERE id = ?
            """, [.integer(now), .integer(author.userID), .integer(customerID)])
        try HistoryLog.append(connection, [Self.headOfficeEntry(customerID: customerID, from: old, to: new, at: now, by: author,
                                                                    manager: .asStored)])
    }

    /// The `headOfficeSet` history entry of a customer whose head office changed from `old` to `new`
    /// (also written by an import's batch, which sets version and time in its INSERT instead).
    static func headOfficeEntry(customerID: Int64, from old: Int64?, to new: Int64?, at now: Int64,
                                by author: Author, manager: HistoryLog.Manager) -> HistoryLog.NewEntry {
        HistoryLog.NewEntry(entity: .customer, id: customerID, customerID: customerID, action: .headOfficeSet, at: now,
                            author: author, manager: manager, changes: [StoredFieldChange(field: "headOffice", oldValue: old.map { String($0) },
                                                                        newValue: new.map { String($0) })])
    }
}
