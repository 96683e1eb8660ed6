/// A customer as an export gives it: what an import takes back.
public struct StoredCustomerRecord: Sendable, Hashable {
    public var customer: StoredCustomer
    public var headOffice: StoredAddress?
    /// The customer's earliest live, active contact.
    public var firstContact: StoredContact?
}

extension CustomerStore {
    /// Calls `body` for every customer matching `filter`, in `order`, with its head office and first
    /// contact, in constant memory: `streamCustomers`' keyset batches, each batch's addresses and
    /// contacts read in the batch's own snapshot.
    public func streamCustomerRecords(_ filter: CustomerFilter, order: CustomerOrder,
                                      _ body: (StoredCustomerRecord) throws -> Void) throws {
        let query = try CustomerListingQuery(filter, order: order)
        var position: ListPosition?
        while true {
            let (records, batch) = try read { connection in
                let batch = try query.page(connection, after: position, limit: Self.streamBatchSize)
                let records = try batch.customers.map { customer in
                    StoredCustomerRecord(
                        customer: customer,
                        headOffice: try AddressRow.fetchAll(connection, customerID: customer.id).first(where: \.isHeadOffice),
                        firstContact: try ContactRow.fetchAll(connection, customerID: customer.id, includeDeactivated: false)
                            .min(by: { $0.id < $1.id }))
                }
                return (records, batch)
            }
            for record in records { try body(record) }
            guard batch.hasMore, let last = batch.last else { return }
            position = last
        }
    }
}
