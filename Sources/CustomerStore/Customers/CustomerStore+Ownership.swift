import SQLiteEngine

/// A record that belongs to one customer, as a permission check names the target of a call.
///
/// New kinds of customer records (projects, invoices, files, ...) add a case here with the one
/// query that finds their customer.
public enum OwnedRecord: Sendable, Hashable {
    case customer(id: Int64)
    case customerNumber(Int64)
    /// A customer a request named by its number, already looked up (in the snapshot that read the
    /// record the caller gets): its owner is found by the id, so the check and the answer are about
    /// the same customer even when numbers change in between; refusals still speak of the number.
    case customerNumbered(Int64, id: Int64)
    case address(id: Int64)
    case contact(id: Int64)
    case activity(id: Int64)
    /// A sales case or project.
    case project(id: Int64)
    case projectTask(id: Int64)
    case file(id: Int64)
    case link(id: Int64)
    case invoice(id: Int64)
    /// The record a history request names; a deleted address or contact is found through its history.
    case history(HistoryEntity, id: Int64)
}

/// The customer a record belongs to, and that customer's account manager.
public struct CustomerOwnership: Sendable, Hashable {
    public var customerID: Int64
    public var accountManagerID: Int64?

    public init(customerID: Int64, accountManagerID: Int64?) {
        self.customerID = customerID
        self.accountManagerID = accountManagerID
    }
}

extension CustomerStore {
    /// The customer `record` belongs to and its account manager; nil when the record (or its
    /// customer) does not exist. One indexed read (two for a removed address's or contact's history).
    public func ownership(of record: OwnedRecord) throws -> CustomerOwnership? {
        try readOne { connection in
            switch record {
            case .customer(let id), .customerNumbered(_, let id), .history(.customer, let id):
                return try Self.ownership(connection, "SELECT id, account_manager_id FROM customers WHERE id = ?", id)
            case .customerNumber(let number):
                return try Self.ownership(connection, "SELECT id, account_manager_id FROM customers WHERE number = ?", number)
            case .address(let id):
                return try Self.ownership(connection, Self.ownerQuery(table: "addresses"), id)
            case .contact(let id):
                return try Self.ownership(connection, Self.ownerQuery(table: "contacts"), id)
            case .activity(let id):
                return try Self.ownership(connection, Self.ownerQuery(table: "activities"), id)
            case .project(let id):
                return try Self.ownership(connection, Self.ownerQuery(table: "projects"), id)
            case .projectTask(let id):
                return try Self.ownership(connection, """
                    SELECT c.id, c.account_manager_id FROM project_tasks t JOIN projects p ON p.id = t.project_id
                    JOIN customers c ON c.id = p.customer_id WHERE t.id = ?
                    """, id)
            case .file(let id):
                return try Self.ownership(connection, Self.ownerQuery(table: "files"), id)
            case .link(let id):
                return try Self.ownership(connection, Self.ownerQuery(table: "links"), id)
            case .invoice(let id):
                return try Self.ownership(connection, Self.ownerQuery(table: "invoices"), id)
            case .history(let entity, let id):
                // A live address or contact names its customer; anything else (and a removed one)
                // is found through the customer its history rows were written for.
                let live = entity == .address || entity == .contact
                    ? try Self.ownership(connection, Self.ownerQuery(table: entity == .address ? "addresses" : "contacts"), id)
                    : nil
                return try live ?? Self.ownership(connection, """
                    SELECT c.id, c.account_manager_id FROM customers c
                    WHERE c.id = (SELECT customer_id FROM history WHERE entity = '\(entity.rawValue)' AND entity_id = ? LIMIT 1)
                    """, id)
            }
        }
    }

    private static func ownerQuery(table: String) -> String {
        "SELECT c.id, c.account_manager_id FROM \(table) r JOIN customers c ON c.id = r.customer_id WHERE r.id = ?"
    }

    private static func ownership(_ connection: SQLiteConnection, _ sql: String, _ key: Int64) throws -> CustomerOwnership? {
        try connection.withStatement(sql) { statement in
            try statement.bind(key, at: 1)
            guard try statement.step() else { return nil }
            return CustomerOwnership(customerID: statement.int64(0), accountManagerID: statement.optionalInt64(1))
        }
    }
}
