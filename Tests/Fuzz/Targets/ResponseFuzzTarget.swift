import BinaryCoding
import CustomerAPI
import Foundation

/// Fuzz target (d): the hot response messages, and the requests a client sends most, which write
/// their own fields (`DirectEncodable`), against their `Codable` path.
///
/// Input: one byte choosing the message type, then the bytes to decode. A value that decodes must
/// encode to the same bytes on both encoding paths: a hand-written writer that parts from
/// `Codable` is a finding.
enum ResponseFuzzTarget {
    /// Each message type with its comparison, in selector order.
    static let responseTypes: [(type: Any.Type, compare: @Sendable ([UInt8]) -> Void)] = [
        entry(Customer.self), entry(ListCustomersResponse.self), entry(CustomerCard.self), entry(ContactInformation.self),
        entry(Address.self), entry(Contact.self), entry(Activity.self), entry(ActivityList.self), entry(Segment.self),
        entry(UserRef.self), entry(ContactRef.self),
        (BorrowedText.self, { compareBorrowedText($0) }),
        entry(GetCustomerRequest.self), entry(ListCustomersRequest.self), entry(CustomerQuery.self),
        entry(CreateCustomerRequest.self), entry(UpdateCustomerRequest.self), entry(CustomerFields.self),
        entry(GetCustomerCardRequest.self),
    ]

    /// The selector of `compareBorrowedText`: the bytes are a stored text, not a message.
    enum BorrowedText {}

    private static func entry<T: Codable & Sendable>(_ type: T.Type) -> (type: Any.Type, compare: @Sendable ([UInt8]) -> Void) {
        (T.self, { compare(T.self, $0) })
    }

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let selector = input.first else { return }
        responseTypes[Int(selector) % responseTypes.count].compare(Array(input.dropFirst()))
    }

    /// The input for `message` of `type`: the selector byte, then the message.
    static func input(_ type: Any.Type, message: [UInt8]) -> [UInt8] {
        let index = responseTypes.firstIndex { ObjectIdentifier($0.type) == ObjectIdentifier(type) } ?? 0
        return [UInt8(truncatingIfNeeded: index)] + message
    }

    private static func compare<T: Codable>(_ type: T.Type, _ bytes: [UInt8]) {
        guard let value = try? BinaryDecoder().decode(type, from: bytes) else { return }
        var writingCodable = BinaryEncoder()
        writingCodable.writesDirectly = false
        let written = try? BinaryEncoder().encode(value)
        guard written != nil, written == (try? writingCodable.encode(value)) else {
            fatalError("\(type) decoded from \(bytes) encodes differently on the direct and the Codable path")
        }
    }

    /// A list page's row writes its text from SQLite's bytes (`BinaryWriter.write(_:utf8:)`, in
    /// `CustomerListingRow.encodeCustomer`), which are not checked UTF-8 (a database written by
    /// other tools, a bad import of old): the page must carry the bytes `Customer`'s own encoder
    /// writes for `String(decoding:as:)` of them, inside a page as the row encoder nests it, and
    /// what the client decodes is that repaired text.
    private static func compareBorrowedText(_ text: [UInt8]) {
        typealias Page = ListCustomersResponse.CodingKeys
        typealias Key = Customer.CodingKeys
        let repaired = String(decoding: text, as: UTF8.self)
        let borrowed = try? text.withUnsafeBytes { utf8 in
            try BinaryEncoder().encodeFields(of: ListCustomersResponse.self) { writer in
                try writer.writeMessage(Page.customers) { try $0.write(Key.name, utf8: utf8) }
                try writer.write(Page.nextPageToken, utf8: utf8)
            }
        }
        let owned = try? BinaryEncoder().encodeFields(of: ListCustomersResponse.self) { writer in
            try writer.writeMessage(Page.customers) { try $0.write(Key.name, repaired) }
            try writer.write(Page.nextPageToken, repaired)
        }
        guard let borrowed, let owned, borrowed.bytes == owned.bytes else {
            fatalError("text \(text) written borrowed and as String(decoding:) differ: \(String(describing: borrowed?.bytes)) vs \(String(describing: owned?.bytes))")
        }
        // What a client reads of it, by the field numbers of CUSTOMER-API.md.
        struct Named: Decodable {
            let name: String
            enum CodingKeys: Int, CodingKey { case name = 3 }
        }
        struct DecodedPage: Decodable {
            let customers: [Named]
            let nextPageToken: String?
            enum CodingKeys: Int, CodingKey { case customers = 1, nextPageToken = 2 }
        }
        guard let decoded = try? BinaryDecoder().decode(DecodedPage.self, from: borrowed.bytes),
              decoded.customers.map(\.name) == [repaired], decoded.nextPageToken == repaired else {
            fatalError("text \(text) written borrowed does not decode to its repaired String \(repaired.debugDescription)")
        }
    }

    /// Seed values: a customer with every field, a page, and a card with its contact tab.
    static func sampleMessages() -> [[UInt8]] {
        let at = Date(timeIntervalSince1970: 1_764_384_786.123)
        let alice = UserRef(id: 1, name: "alice")
        let address = Address(
            id: 5, customerId: 42, street: ["Keilalahdentie 4", "PL 226"], postalCode: "02150", city: "Espoo",
            region: nil, country: "FI", kind: .billing, isHeadOffice: true, version: 1, createdAt: at, createdBy: alice,
            updatedAt: at, updatedBy: alice)
        let customer = Customer(
            id: 42, number: 10_042, name: "Ääkkönen Oy", accountManager: alice, description: "Line 1\nLine 2",
            vatNumber: "FI01120389", country: "FI", industry: "Manufacturing", email: "info@example.fi",
            website: "https://example.fi", phone: "+358 40 123 4567", active: true, deleted: true, version: 7,
            createdAt: at, createdBy: alice, updatedAt: at, updatedBy: alice, headOffice: address, businessId: "0112038-9",
            registryStatus: "active", registryCheckedAt: at)
        let contact = Contact(
            id: 9, customerId: 42, firstName: "Aino", lastName: "Virtanen", title: "CFO", email: "aino@example.fi",
            phone: nil, mobile: "+358 50 765 4321", language: "fi", notes: nil, keywords: ["xmas"], roles: ["billing"],
            active: true, deleted: false, version: 2, createdAt: at, createdBy: alice, updatedAt: at, updatedBy: alice)
        let activity = Activity(
            id: 3, customerId: 42, kind: .event, subject: "Visit", startsAt: at, endsAt: at, assignee: alice,
            contact: ContactRef(id: 9, name: "Aino Virtanen", deleted: false), done: true, completedAt: at,
            completedBy: alice, projectId: 7, projectName: "Rollout", version: 1, createdAt: at, createdBy: alice,
            updatedAt: at, updatedBy: alice, timeZone: "Europe/Helsinki")
        let information = ContactInformation(
            addresses: [address], contacts: [contact], activities: ActivityList(planned: [activity], done: [activity]),
            segments: [Segment(id: 3, parentId: 1, name: "Machinery", path: ["Industry", "Machinery"], customerCount: 12)])
        func seed<T: Encodable>(_ value: T) -> [UInt8] {
            input(T.self, message: (try? BinaryEncoder().encode(value)) ?? [])
        }
        return [
            seed(customer), seed(ListCustomersResponse(customers: [customer, customer], nextPageToken: "next")),
            seed(CustomerCard(customer: customer, contactInformation: information, financialHidden: true)),
            seed(information), seed(address), seed(contact), seed(activity), seed(alice),
            input(BorrowedText.self, message: Array("Ääkkönen Oy".utf8)), input(BorrowedText.self, message: [0x41, 0xC3, 0xFF, 0xED, 0xA0, 0x80]),
            seed(GetCustomerRequest(id: 42)),
            seed(ListCustomersRequest(query: CustomerQuery(status: .all, search: "Oy", order: .number), limit: 50, pageToken: "next")),
            seed(CreateCustomerRequest(fields: CustomerFields(name: "Ääkkönen Oy", country: "FI"), allowDuplicateVat: true)),
            seed(UpdateCustomerRequest(id: 42, expectedVersion: 3, fields: CustomerFields(phone: "+358 9 1"))),
            seed(GetCustomerCardRequest(customerId: 42, tabs: [.contactInformation, .financial], from: "2026-01")),
        ]
    }
}
