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
