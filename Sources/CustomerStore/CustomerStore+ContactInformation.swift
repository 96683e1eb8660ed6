import Foundation

extension CustomerStore {
    /// The card's contact-information tab in ONE read transaction (a consistent snapshot): the
    /// customer with its head office, its addresses, its active contacts with their labels and its
    /// activities as of `now`. Five indexed statements whatever the number of rows (no N+1).
    ///
    /// - Throws: `notFound` (customer).
    public func contactInformation(customerID: Int64, now: Date) throws -> ContactInformation {
        try read { connection in
            guard let customer = try CustomerRow.fetch(connection, CustomerRow.byID, key: customerID) else {
                throw StoreError.notFound("customer \(customerID) does not exist")
            }
            return ContactInformation(
                customer: customer,
                addresses: try AddressRow.fetchAll(connection, customerID: customerID),
                contacts: try ContactRow.fetchAll(connection, customerID: customerID, includeDeactivated: false),
                activities: try ActivityRow.list(connection, customerID: customerID, now: now.milliseconds))
        }
    }
}
