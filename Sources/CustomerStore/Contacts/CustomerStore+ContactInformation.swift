import Foundation
import SQLiteEngine

extension CustomerStore {
    /// The card's contact-information tab in ONE read transaction (a consistent snapshot): the
    /// customer with its head office, its addresses, its active contacts with their labels, its
    /// activities as of `now` and its market segments. Six indexed statements whatever the number
    /// of rows (no N+1).
    ///
    /// - Throws: `notFound` (customer).
    public func contactInformation(customerID: Int64, now: Date) throws -> StoredContactInformation {
        try read { connection in
            guard let customer = try CustomerRow.fetch(connection, CustomerRow.byID, key: customerID) else {
                throw try Self.missingCustomer(connection, id: customerID)
            }
            return try Self.contactInformation(connection, customer: customer, now: now)
        }
    }

    /// The tab's reads for a customer already read, inside the caller's transaction (also used by `cardTabs`).
    static func contactInformation(_ connection: SQLiteConnection, customer: StoredCustomer,
                                   now: Date) throws -> StoredContactInformation {
        StoredContactInformation(
            customer: customer,
            addresses: try AddressRow.fetchAll(connection, customerID: customer.id),
            contacts: try ContactRow.fetchAll(connection, customerID: customer.id, includeDeactivated: false),
            activities: try ActivityRow.list(connection, customerID: customer.id, now: now.milliseconds),
            segments: try SegmentTree.ofCustomer(connection, customerID: customer.id))
    }
}
