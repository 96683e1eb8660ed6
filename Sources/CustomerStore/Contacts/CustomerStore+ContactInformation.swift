import Foundation
import SQLiteEngine

extension CustomerStore {
    /// The card's contact-information tab in ONE read transaction (a consistent snapshot): the
    /// customer with its head office, its addresses, its active contacts with their labels, its
    /// activities as of `now` and its market segments. Five indexed statements whatever the number
    /// of rows (no N+1), six when a contact has labels (and a customer's segments, when it has any,
    /// one more).
    ///
    /// - Throws: `notFound` (customer).
    public func contactInformation(customerID: Int64, now: Date) throws -> StoredContactInformation {
        try read { connection in
            let users = UserNames(connection)
            guard let customer = try CustomerRow.fetch(connection, CustomerRow.byID, key: customerID, users: users) else {
                throw try Self.missingCustomer(connection, id: customerID)
            }
            return try Self.contactInformation(connection, customer: customer, now: now, users: users)
        }
    }

    /// The tab's reads for a customer already read, inside the caller's transaction (also used by
    /// `cardTabs`), sharing its user names (`users`): a card names the same few users ~35 times.
    static func contactInformation(_ connection: SQLiteConnection, customer: StoredCustomer, now: Date,
                                   users: UserNames) throws -> StoredContactInformation {
        StoredContactInformation(
            customer: customer,
            addresses: try AddressRow.fetchAll(connection, customer: customer, users: users),
            contacts: try ContactRow.fetchAll(connection, customerID: customer.id, includeDeactivated: false, users: users),
            activities: try ActivityRow.list(connection, customerID: customer.id, now: now.milliseconds, users: users),
            segments: try SegmentTree.ofCustomer(connection, customerID: customer.id))
    }
}
