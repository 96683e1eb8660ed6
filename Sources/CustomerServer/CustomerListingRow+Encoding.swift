import BinaryCoding
import CustomerAPI
import CustomerStore

extension CustomerListingRow {
    /// Writes this row as the `Customer` message `Customer(try stored())` would encode to, field
    /// for field in the order of `Customer.encodeFields` (CustomerPageEncodingTests and
    /// CustomerGetEncodingTests compare the bytes), text copied from the row instead of made into
    /// a `String` and released again; the head office when the row has one (a get's).
    func encodeCustomer(to writer: inout BinaryWriter) throws {
        let key = CustomerFieldKeys.shared
        let deleted = try deleted
        try writer.write(key.id, try id)
        try writer.write(key.number, try number)
        try writer.write(key.name, utf8: try name(deleted: deleted))
        try writer.write(key.accountManager, user: try accountManager)
        try writer.write(key.description, utf8: try text(.description))
        try writer.write(key.vatNumber, utf8: try text(.vatNumber))
        try writer.write(key.country, utf8: try text(.country))
        try writer.write(key.industry, utf8: try text(.industry))
        try writer.write(key.email, utf8: try text(.email))
        try writer.write(key.website, utf8: try text(.website))
        try writer.write(key.phone, utf8: try text(.phone))
        try writer.write(key.active, try active)
        try writer.write(key.version, try version)
        try writer.write(key.createdAt, try createdAt)
        try writer.write(key.createdBy, user: try createdBy)
        try writer.write(key.updatedAt, try updatedAt)
        try writer.write(key.updatedBy, user: try updatedBy)
        // Never in a listing (see `StoredCustomer.headOffice`).
        // (Optionals of the row and of the record, not an enum of both: copying and destroying
        // that cost ~700 instructions a get under callgrind.)
        if readsHeadOffice, hasDecodedHeadOffice {
            try withDecodedHeadOffice { office in
                try writer.writeMessage(key.headOffice) { try office.encodeAddressFields(to: &$0) }
            }
        } else if readsHeadOffice, let office = try lentHeadOffice() {
            try writer.writeMessage(key.headOffice) { try office.encodeAddressFields(to: &$0) }
        }
        try writer.write(key.businessId, utf8: try text(.businessID))
        try writer.write(key.registryStatus, utf8: try text(.registryStatus))
        try writer.write(key.registryCheckedAt, try registryCheckedAt)
        try writer.write(key.deleted, deleted ? true : nil as Bool?)
    }
}

/// `Customer`'s keys as ``FieldKey``s, made once: a page writes each of them 50 times.
private struct CustomerFieldKeys {
    typealias Key = Customer.CodingKeys
    static let shared = CustomerFieldKeys()

    let id = FieldKey(Key.id), number = FieldKey(Key.number), name = FieldKey(Key.name)
    let accountManager = FieldKey(Key.accountManager), description = FieldKey(Key.description)
    let vatNumber = FieldKey(Key.vatNumber), country = FieldKey(Key.country), industry = FieldKey(Key.industry)
    let email = FieldKey(Key.email), website = FieldKey(Key.website), phone = FieldKey(Key.phone)
    let active = FieldKey(Key.active), version = FieldKey(Key.version)
    let createdAt = FieldKey(Key.createdAt), createdBy = FieldKey(Key.createdBy)
    let updatedAt = FieldKey(Key.updatedAt), updatedBy = FieldKey(Key.updatedBy)
    let headOffice = FieldKey(Key.headOffice), businessId = FieldKey(Key.businessId)
    let registryStatus = FieldKey(Key.registryStatus), registryCheckedAt = FieldKey(Key.registryCheckedAt)
    let deleted = FieldKey(Key.deleted)
}

extension AddressListingRow {
    /// The fields of `Address(try AddressRow.decode(…))`, as `StoredAddress.encodeAddressFields`
    /// writes them, text copied from the row (CustomerGetEncodingTests compares the bytes).
    func encodeAddressFields(to writer: inout BinaryWriter) throws {
        let key = AddressFieldKeys.shared
        try writer.write(key.id, try id)
        try writer.write(key.customerId, try customerID)
        // The lines set, in order (`StoredAddress.street`).
        for line in 0..<3 { try writer.write(key.street, utf8: try street(line)) }
        try writer.write(key.postalCode, utf8: try postalCode)
        try writer.write(key.city, utf8: try city)
        try writer.write(key.region, utf8: try region)
        try writer.write(key.country, utf8: try country)
        try writer.write(key.kind, Address.Kind(try kind))
        try writer.write(key.isHeadOffice, try isHeadOffice)
        try writer.write(key.version, try version)
        try writer.write(key.createdAt, try createdAt)
        try writer.write(key.createdBy, user: try createdBy)
        try writer.write(key.updatedAt, try updatedAt)
        try writer.write(key.updatedBy, user: try updatedBy)
    }
}

/// `Address`'s keys as ``FieldKey``s, made once (as `CustomerFieldKeys`).
private struct AddressFieldKeys {
    typealias Key = Address.CodingKeys
    static let shared = AddressFieldKeys()

    let id = FieldKey(Key.id), customerId = FieldKey(Key.customerId), street = FieldKey(Key.street)
    let postalCode = FieldKey(Key.postalCode), city = FieldKey(Key.city), region = FieldKey(Key.region)
    let country = FieldKey(Key.country), kind = FieldKey(Key.kind), isHeadOffice = FieldKey(Key.isHeadOffice)
    let version = FieldKey(Key.version), createdAt = FieldKey(Key.createdAt), createdBy = FieldKey(Key.createdBy)
    let updatedAt = FieldKey(Key.updatedAt), updatedBy = FieldKey(Key.updatedBy)
}

extension CustomerStore {
    /// A `ListCustomersResponse` of one page, written as the store reads its rows (see
    /// `listCustomers(_:order:limit:pageToken:each:)`): no `[Customer]` is built and released.
    func encodedPage(_ filter: CustomerFilter, order: CustomerOrder, limit: Int,
                     pageToken: String?) throws -> EncodedMessage<ListCustomersResponse> {
        // ~300 bytes a listed customer: one allocation instead of doubling from 512.
        try BinaryEncoder().encodeFields(of: ListCustomersResponse.self, capacity: 64 + 320 * limit) { writer in
            let next = try listCustomers(filter, order: order, limit: limit, pageToken: pageToken) { row in
                try writer.writeMessage(ListCustomersResponse.CodingKeys.customers) { try row.encodeCustomer(to: &$0) }
            }
            try writer.write(ListCustomersResponse.CodingKeys.nextPageToken, next)
        }
    }
}

extension CustomerStore {
    /// The `Customer` a get by id answers, written as the store reads its row (see
    /// `withCustomer(id:_:)`): no `StoredCustomer` or `Customer` is built and released.
    func encodedCustomer(id: Int64) throws -> EncodedMessage<Customer> {
        try withCustomer(id: id) { try $0.encodedCustomer() }
    }

    /// The customer with this number, its id (for the permission check) and its answer's bytes,
    /// from one read.
    func encodedCustomer(number: Int64) throws -> (id: Int64, customer: EncodedMessage<Customer>) {
        try withCustomer(number: number) { (try $0.id, try $0.encodedCustomer()) }
    }
}

extension CustomerListingRow {
    /// This row as a whole `Customer` message.
    fileprivate func encodedCustomer() throws -> EncodedMessage<Customer> {
        try BinaryEncoder().encodeFields(of: Customer.self) { try encodeCustomer(to: &$0) }
    }
}
