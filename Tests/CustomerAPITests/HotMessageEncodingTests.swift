import BinaryCoding
import CustomerAPI
import Foundation
import Testing

/// The hot messages write their own fields (`DirectEncodable`): every one of them, alone, nested in
/// a message that goes through `Codable`, and holding messages that do, encodes to exactly the
/// bytes of its `Codable` path, and decodes back.
@Suite struct HotMessageEncodingTests {
    typealias Sample = MessageRoundTripTests
    static let at = Sample.at
    /// Every optional field set, `deleted` included, and a description long enough (over 127
    /// bytes) that the message's own length and its list page's take two bytes.
    static let fullCustomer: Customer = {
        var customer = Sample.customer
        customer.description = String(repeating: "Pitkä kuvaus ✓ ", count: 12)
        customer.deleted = true
        customer.headOffice = Sample.address
        customer.businessId = "0112038-9"
        customer.registryStatus = "active; VAT registered since 1989-07-01"
        customer.registryCheckedAt = at.addingTimeInterval(3_600)
        return customer
    }()
    /// Only what is not optional: every optional field absent.
    static let bareCustomer = Customer(
        id: -1, number: 0, name: "", active: false, version: 0, createdAt: Date(timeIntervalSinceReferenceDate: 0),
        createdBy: UserRef(id: 0, name: ""), updatedAt: Date(timeIntervalSinceReferenceDate: -1.5),
        updatedBy: UserRef(id: Int64.min, name: "x"))
    static let event = Activity(
        id: Int64.max, customerId: 42, kind: .event, subject: "Visit", startsAt: at, endsAt: at.addingTimeInterval(3_600),
        assignee: Sample.alice, contact: ContactRef(id: 9, name: "Aino Virtanen", deleted: false), done: true,
        completedAt: at, completedBy: Sample.alice, projectId: 7, projectName: "Rollout", version: 3, createdAt: at,
        createdBy: Sample.alice, updatedAt: at, updatedBy: Sample.alice, timeZone: "Europe/Helsinki")
    static let segment = Segment(id: 3, parentId: 1, name: "Machinery", path: ["Industry", "Machinery"], customerCount: 12)
    static let information = ContactInformation(
        addresses: [Sample.address, Sample.address], contacts: [Sample.contact],
        activities: ActivityList(planned: [Sample.activity], done: [event]), segments: [segment])

    /// An address, a contact and a task with the optional fields the samples above leave out.
    static let fullAddress: Address = {
        var address = Sample.address
        address.region = "Uusimaa"
        return address
    }()
    static let fullContact: Contact = {
        var contact = Sample.contact
        contact.phone = "+358 9 123 4567"
        contact.notes = "Prefers email"
        return contact
    }()
    static let fullTask: Activity = {
        var task = event
        task.dueDate = at
        return task
    }()
    /// A card with every tab, financial included.
    static let fullCard = CustomerCard(
        customer: fullCustomer, contactInformation: information, salesAndProjects: ProjectList(projects: []),
        collaboration: CollaborationTab(items: []), financial: FinancialTab(from: "2027-01", to: "2027-12", currencies: []),
        settings: SettingsTab(settings: CustomerSettings(customerId: 42, invoiceChannel: .email, paymentTermDays: 14,
                                                         version: 2), segments: []),
        files: FilesTab(files: [], links: []), financialHidden: false)

    /// The names of `value`'s stored optionals that are nil.
    static func unsetOptionals(_ value: Any) -> [String] {
        Mirror(reflecting: value).children.compactMap { child in
            let field = Mirror(reflecting: child.value)
            return field.displayStyle == .optional && field.children.isEmpty ? child.label : nil
        }
    }

    /// The full samples leave no optional field of a hot message unset, so `sameBytes` on them sees
    /// a field that `encodeFields(to:)` forgets (a forgotten non-optional field differs in any sample):
    /// a field added to one of these messages must be set here too.
    @Test func theFullSamplesSetEveryOptionalField() throws {
        let samples: [Any] = [
            Self.fullCustomer, Self.fullAddress, Self.fullContact, Self.fullTask, Self.segment,
            ContactRef(id: 9, name: "Aino Virtanen", deleted: false), Self.fullCard,
            ListCustomersResponse(customers: [], nextPageToken: "next"),
        ]
        #expect(Self.unsetOptionals(Sample.address) == ["region"])
        for sample in samples { #expect(Self.unsetOptionals(sample) == [], "\(type(of: sample))") }
        try sameBytes(Self.fullAddress)
        try sameBytes(Self.fullContact)
        try sameBytes(Self.fullTask)
        try sameBytes(Self.fullCard)
    }

    /// The bytes with hand-written fields equal the `Codable` path's, and decode back to `value`.
    func sameBytes<T: Codable & Equatable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var throughCodable = BinaryEncoder()
        throughCodable.writesDirectly = false
        let direct = try BinaryEncoder().encode(value)
        #expect(direct == (try throughCodable.encode(value)), sourceLocation: sourceLocation)
        #expect(try BinaryDecoder().decode(T.self, from: direct) == value, sourceLocation: sourceLocation)
    }

    @Test func aCustomerAndAPageOfThem() throws {
        for customer in [Sample.customer, Self.fullCustomer, Self.bareCustomer] { try sameBytes(customer) }
        try sameBytes(ListCustomersResponse(customers: [Sample.customer, Self.fullCustomer, Self.bareCustomer],
                                            nextPageToken: "next"))
        try sameBytes(ListCustomersResponse(customers: [], nextPageToken: nil))
        try sameBytes(UserRef(id: 1, name: "alice"))
    }

    @Test func theContactInformationTabAndItsParts() throws {
        try sameBytes(Sample.address)
        try sameBytes(Sample.contact)
        try sameBytes(Sample.activity)
        try sameBytes(Self.event)
        try sameBytes(Self.segment)
        try sameBytes(ContactRef(id: 9, name: nil, deleted: true))
        try sameBytes(ActivityList(planned: [], done: []))
        try sameBytes(Self.information)
    }

    @Test func aCardWithEveryKindOfTab() throws {
        try sameBytes(CustomerCard(customer: Self.bareCustomer))
        try sameBytes(CustomerCard(customer: Self.fullCustomer, contactInformation: Self.information, financialHidden: true))
        // The tabs that go through `Codable` from inside the hand-written card.
        let project = Project(id: 1, customerId: 42, kind: .salesCase, name: "Deal", expectedValue: Decimal(string: "1234.5"),
                              version: 1, createdAt: Self.at, createdBy: Sample.alice, updatedAt: Self.at,
                              updatedBy: Sample.alice)
        let settings = CustomerSettings(customerId: 42, invoiceChannel: .email, paymentTermDays: 14, version: 2)
        try sameBytes(CustomerCard(
            customer: Sample.customer, contactInformation: Self.information, salesAndProjects: ProjectList(projects: [project]),
            collaboration: CollaborationTab(items: []), settings: SettingsTab(settings: settings, segments: [Self.segment]),
            files: FilesTab(files: [], links: [])))
    }

    /// A client's requests: every field set, none set, and the empty query a plain list sends
    /// (a nested message with no field is still written, as `Codable` writes it).
    @Test func theRequestsAClientSendsMost() throws {
        let fullFields = CustomerFields(
            number: 1_042, name: "Oy Pitkä Nimi Ab ✓", accountManager: "alice", description: String(repeating: "x", count: 200),
            vatNumber: "FI01120389", country: "FI", industry: "Machinery", email: "info@example.fi",
            website: "https://example.fi", phone: "+358 9 123 4567")
        let fullQuery = CustomerQuery(status: .all, search: "Virtanen", country: "FI", accountManager: "alice",
                                      changedSince: Self.at, order: .number)
        #expect(Self.unsetOptionals(fullFields) == [])
        #expect(Self.unsetOptionals(fullQuery) == [])
        for request in [GetCustomerRequest(id: 42), GetCustomerRequest(number: Int64.max), GetCustomerRequest(id: -1, number: 0),
                        GetCustomerRequest()] { try sameBytes(request) }
        for query in [fullQuery, CustomerQuery(), CustomerQuery(status: .active, order: .name)] {
            try sameBytes(query)
            try sameBytes(ListCustomersRequest(query: query, limit: 50, pageToken: "opaque-token"))
        }
        try sameBytes(ListCustomersRequest())
        for fields in [fullFields, CustomerFields(), CustomerFields(name: "Bench 1-1 Oy", country: "FI")] {
            try sameBytes(fields)
            try sameBytes(CreateCustomerRequest(fields: fields, allowDuplicateVat: nil))
            try sameBytes(UpdateCustomerRequest(id: 7, expectedVersion: 3, fields: fields, allowDuplicateVat: true))
        }
        try sameBytes(CreateCustomerRequest(fields: fullFields, allowDuplicateVat: false))
        try sameBytes(UpdateCustomerRequest(id: Int64.min, fields: CustomerFields()))
        // The card's: no tab (every tab), the bench's one, all of them in another order with a
        // repeat, and a period (the tabs are one packed run, as `Codable` packs them).
        for request in [GetCustomerCardRequest(customerId: 42), GetCustomerCardRequest(customerId: 7, tabs: [.contactInformation]),
                        GetCustomerCardRequest(customerId: Int64.min, tabs: CardTab.allCases.reversed() + [.files]),
                        GetCustomerCardRequest(customerId: 0, tabs: [.financial], from: "2026-01", to: "2026-12ä")] {
            try sameBytes(request)
        }
    }

    /// A message that goes through `Codable` and holds hot ones (an address list, a history page's
    /// contact) writes them directly inside its own fields, framed as `Codable` would frame them.
    @Test func hotMessagesInsideCodableOnes() throws {
        try sameBytes(AddressList(addresses: [Sample.address, Sample.address]))
        try sameBytes(ContactList(contacts: [Sample.contact]))
        try sameBytes(InvoicingReadiness(ready: false, missing: ["vatNumber"], headOffice: Sample.address, vatNumber: nil))
        try sameBytes([Self.fullCustomer, Self.bareCustomer])
    }
}
