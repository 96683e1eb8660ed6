/// A customer as an export gives it: what an import takes back.
public struct StoredCustomerRecord: Sendable, Hashable {
    public var customer: StoredCustomer
    public var headOffice: StoredAddress?
    /// The customer's earliest live, active contact, with its keywords and roles.
    public var firstContact: StoredContact?
}

extension CustomerStore {
    /// Calls `body` for every customer matching `filter`, in `order`, with its head office and first
    /// contact, in constant memory: `streamCustomers`' batches and guarantee (the ids of the start,
    /// ``StreamIDs``; 16 rows growing to 500: ``StreamBatches``; 500 records are ~1 MiB, which an
    /// export paused by its client held till it ended), each batch's head offices and first
    /// contacts read in the batch's own snapshot, one statement each. `osUser`: as `streamCustomers`'.
    public func streamCustomerRecords(_ filter: CustomerFilter, order: CustomerOrder, osUser: UInt32?,
                                      _ body: (StoredCustomerRecord) throws -> Void) throws {
        let query = try CustomerListingQuery(filter, order: order)
        try streamInStartOrder(scan: query.idsSQLText(), osUser: osUser, rows: { connection, ids, slots in
            let customers = try query.customers(connection, ids: ids, slots: slots)
            let headOffices = try AddressRow.headOffices(connection, customerIDs: ids)
            let contacts = try ContactRow.firstContacts(connection, customerIDs: ids)
            return customers.map {
                StoredCustomerRecord(customer: $0, headOffice: headOffices[$0.id], firstContact: contacts[$0.id])
            }
        }, body)
    }
}
