import Foundation
import SQLiteEngine

extension CustomerStore {
    /// The card's contact-information tab in ONE read transaction (a consistent snapshot): the
    /// customer's addresses (head office first), its active contacts with their labels, its
    /// activities as of `now` and its market segments. Four indexed statements whatever the number
    /// of rows (no N+1), five when a contact has labels (and a customer's segments, when it has
    /// any, one more).
    ///
    /// - Throws: `notFound` (customer).
    public func contactInformation(customerID: Int64, now: Date) throws -> StoredContactInformation {
        try read { connection in
            let users = UserNames(connection)
            var read = CardCustomer(id: customerID)
            guard try CardCustomer.fetch(connection, id: customerID, users: users, into: &read, lending: { _ in }) != nil
            else {
                throw try Self.missingCustomer(connection, id: customerID)
            }
            return try Self.contactInformation(connection, of: &read, now: now, users: users)
        }
    }

    /// The tab's reads for a customer already read, inside the caller's transaction (also used by
    /// `cardTabs`), sharing its user names (`users`): a card names the same few users ~35 times.
    /// The segments and the project tasks are read only when the customer's read found some.
    static func contactInformation(_ connection: SQLiteConnection, of read: inout CardCustomer, now: Date,
                                   users: UserNames) throws -> StoredContactInformation {
        let (id, hasProject) = (read.id, read.hasProject)
        return try contactInformation(connection, of: &read, users: users, contacts: {
            try ContactRow.fetchAll(connection, customerID: id, includeDeactivated: false, users: users)
        }, activities: {
            try ActivityRow.list(connection, customerID: id, now: now.milliseconds, withProjectTasks: hasProject,
                                 users: users)
        })
    }

    /// The tab with its contacts made by `contacts` and its activities by `activities`, read
    /// between the addresses and the segments (the order of the tab's fields). The customer's
    /// head office is moved out of `read` into the tab's addresses, not copied (its texts retained
    /// and the read's released again, docs/performance/HISTORY.md "card31").
    static func contactInformation(_ connection: SQLiteConnection, of read: inout CardCustomer, users: UserNames,
                                   contacts: () throws -> [StoredContact],
                                   activities: () throws -> StoredActivityList) throws -> StoredContactInformation {
        StoredContactInformation(
            addresses: try AddressRow.fetchAll(connection, customerID: read.id, headOffice: read.headOffice.take(),
                                               users: users),
            contacts: try contacts(),
            activities: try activities(),
            segments: try SegmentTree.ofCustomer(connection, customerID: read.id, hasSegment: read.hasSegment))
    }
}
