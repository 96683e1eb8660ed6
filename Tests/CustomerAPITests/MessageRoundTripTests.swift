import BinaryCoding
import CustomerAPI
import Foundation
import Testing

/// Every message of the customer API survives the binary coder unchanged: the wire contract
/// holds for each field type the API uses (nested messages, enums, optionals, repeated fields, dates).
@Suite struct MessageRoundTripTests {
    static let at = Date(timeIntervalSince1970: 1_764_384_786.123)
    static let alice = UserRef(id: 1, name: "alice")
    static let customer = Customer(
        id: 42, number: 10_042, name: "Ääkkönen & Søn Oy", accountManager: alice, description: "Line 1\nLine 2 ✓",
        vatNumber: "FI01120389", country: "FI", industry: "Manufacturing", email: "info@example.fi",
        website: "https://example.fi", phone: "+358 40 123 4567", active: true, version: 7,
        createdAt: at, createdBy: alice, updatedAt: at.addingTimeInterval(60), updatedBy: UserRef(id: 2, name: "bob"))
    static let address = Address(
        id: 5, customerId: 42, street: ["Keilalahdentie 4", "PL 226"], postalCode: "02150", city: "Espoo", region: nil,
        country: "FI", kind: .visiting, isHeadOffice: true, version: 1, createdAt: at, createdBy: alice, updatedAt: at,
        updatedBy: alice)
    static let contact = Contact(
        id: 9, customerId: 42, firstName: "Aino", lastName: "Virtanen", title: "CFO", email: "aino@example.fi",
        phone: nil, mobile: "+358 50 765 4321", language: "fi", notes: nil, keywords: ["newsletter", "xmas"],
        roles: ["billing"], active: true, deleted: false, version: 2, createdAt: at, createdBy: alice, updatedAt: at,
        updatedBy: alice)
    static let activity = Activity(
        id: 3, customerId: 42, kind: .task, subject: "Call back", dueDate: at, assignee: alice,
        contact: ContactRef(id: 9, name: nil, deleted: true), done: false, version: 1, createdAt: at, createdBy: alice,
        updatedAt: at, updatedBy: alice)

    func roundTrip<T: Codable & Equatable>(_ value: T) throws {
        let bytes = try BinaryEncoder().encode(value)
        #expect(try BinaryDecoder().decode(T.self, from: bytes) == value)
    }

    @Test func customerMessages() throws {
        try roundTrip(Self.customer)
        try roundTrip(CreateCustomerRequest(fields: CustomerFields(number: 5, name: "X", accountManager: "alice", phone: "")))
        try roundTrip(UpdateCustomerRequest(id: 1, expectedVersion: 3, fields: CustomerFields(email: "")))
        try roundTrip(GetCustomerRequest(number: 10_001))
        try roundTrip(ListCustomersRequest(
            query: CustomerQuery(status: .all, search: "müller", country: "DE", accountManager: "bob",
                                 changedSince: Self.at, order: .number),
            limit: 1000, pageToken: "abc"))
        try roundTrip(ListCustomersResponse(customers: [Self.customer, Self.customer], nextPageToken: nil))
        try roundTrip(DeleteCustomerRequest(id: 1, confirm: true))
        try roundTrip(ListUsersResponse(users: [User(id: 1, uid: 0, name: "root", isAdministrator: true, active: true, createdAt: Self.at)]))
    }

    @Test func contactInformationMessages() throws {
        try roundTrip(AddressList(addresses: [Self.address]))
        try roundTrip(UpdateAddressRequest(id: 5, fields: AddressFields(street2: "", kind: .billing)))
        try roundTrip(InvoicingReadiness(ready: false, missing: ["vatNumber"], headOffice: Self.address, vatNumber: nil))
        try roundTrip(ContactList(contacts: [Self.contact]))
        try roundTrip(CreateContactRequest(customerId: 42, fields: ContactFields(firstName: "A"), keywords: ["k"], roles: []))
        try roundTrip(MailingListEntry(contactId: 1, firstName: "A", lastName: nil, email: "a@b.fi", customerId: 2, customerName: "C", customerEmail: nil))
        try roundTrip(LabelList(labels: [Label(id: 1, kind: .role, name: "billing", contactCount: 3)]))
        try roundTrip(ActivityList(planned: [Self.activity], done: []))
        try roundTrip(HistoryList(entries: [HistoryEntry(
            id: 1, entity: .contact, entityId: 9, customerId: 42, action: "updated", at: Self.at, by: Self.alice,
            changes: [FieldChange(field: "email", oldValue: nil, newValue: nil, erased: true)],
            contact: ContactRef(id: 9, name: nil, deleted: true))]))
        try roundTrip(CustomerCard(customer: Self.customer, contactInformation: ContactInformation(
            addresses: [Self.address], contacts: [Self.contact], activities: ActivityList(planned: [], done: [Self.activity]))))
    }

    @Test func anOlderReaderSkipsFieldsAddedLater() throws {
        // A reader that knows only the first fields of a customer (an old client) still decodes a
        // newer server's message: the unknown fields are skipped.
        struct OldCustomer: Codable, Equatable {
            var id: Int64
            var number: Int64
            var name: String
            enum CodingKeys: Int, CodingKey { case id = 1, number = 2, name = 3 }
        }
        let bytes = try BinaryEncoder().encode(Self.customer)
        let old = try BinaryDecoder().decode(OldCustomer.self, from: bytes)
        #expect(old == OldCustomer(id: 42, number: 10_042, name: Self.customer.name))
    }
}
