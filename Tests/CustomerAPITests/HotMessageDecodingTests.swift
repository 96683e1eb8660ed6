import BinaryCoding
import CustomerAPI
import DecodingComparison
import Foundation
import Testing

/// The hot messages read their own fields (`DirectDecodable`): each decodes to the value it was
/// encoded from, as the generic decoder decodes it, and damaged bytes fail on both paths with the
/// same kind of error.
@Suite struct HotMessageDecodingTests {
    typealias Samples = HotMessageEncodingTests
    typealias Sample = MessageRoundTripTests

    /// `value` decodes directly to itself, and its bytes, cut short at every length and with each
    /// byte replaced, decode to the same outcome on both paths.
    func check<T: Codable & Equatable>(_ value: T, damaging: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes = try BinaryEncoder().encode(value)
        #expect(try BinaryDecoder().decode(T.self, from: bytes) == value, sourceLocation: sourceLocation)
        var inputs = [bytes]
        if damaging {
            inputs += (0..<bytes.count).map { Array(bytes[..<$0]) }
            for position in bytes.indices {
                for replacement: UInt8 in [0x00, 0x02, 0x0f, 0x80, 0xff] where bytes[position] != replacement {
                    var damaged = bytes
                    damaged[position] = replacement
                    inputs.append(damaged)
                }
            }
        }
        for input in inputs {
            let direct = DecodingOutcome(T.self, input, direct: true)
            let generic = DecodingOutcome(T.self, input, direct: false)
            #expect(direct == generic, "\(T.self) from \(input)", sourceLocation: sourceLocation)
            if direct != generic { return }
        }
    }

    @Test func aCustomerAndAPageOfThem() throws {
        for customer in [Sample.customer, Samples.fullCustomer, Samples.bareCustomer] { try check(customer) }
        try check(ListCustomersResponse(customers: [Sample.customer, Samples.fullCustomer, Samples.bareCustomer],
                                        nextPageToken: "next"))
        try check(ListCustomersResponse(customers: [], nextPageToken: nil))
        try check(UserRef(id: 1, name: "alice"))
    }

    @Test func theCardAndItsContactInformationTab() throws {
        try check(Samples.fullAddress)
        try check(Samples.fullContact)
        try check(Samples.fullTask)
        try check(Samples.segment)
        try check(ContactRef(id: 9, name: nil, deleted: true))
        try check(Samples.information)
        try check(CustomerCard(customer: Samples.bareCustomer))
        // Every tab, the ones read through `Codable` too; the card is long, so damaged only in part.
        try check(Samples.fullCard, damaging: false)
        let card = try BinaryEncoder().encode(Samples.fullCard)
        for cut in stride(from: 0, to: card.count, by: 7) {
            #expect(DecodingOutcome(CustomerCard.self, Array(card[..<cut]), direct: true)
                == DecodingOutcome(CustomerCard.self, Array(card[..<cut]), direct: false))
        }
    }

    @Test func theRequestsOfGetListCardAndCreate() throws {
        try check(GetCustomerRequest(id: 42))
        try check(GetCustomerRequest(id: nil, number: 10_042))
        try check(GetCustomerCardRequest(customerId: 42, tabs: [.contactInformation, .financial], from: "2027-01", to: "2027-12"))
        try check(ListCustomersRequest(
            query: CustomerQuery(status: .all, search: "oy", country: "FI", accountManager: "alice",
                                 changedSince: Samples.at, order: .number),
            limit: 50, pageToken: "abc"))
        try check(ListCustomersRequest())
        try check(CreateCustomerRequest(
            fields: CustomerFields(number: 1001, name: "Acme Oy", accountManager: "alice", description: "d",
                                   vatNumber: "FI01120389", country: "FI", industry: "Retail", email: "a@b.fi",
                                   website: "https://acme.example", phone: "+358 1"),
            allowDuplicateVat: true))
    }

    /// Random customers and pages, every optional field set or not at random.
    /// A page's customers spread over the message around its token (any order is valid on the
    /// wire): every customer in order and the last token, on both paths. The reader finds a field
    /// that occurs more than once from the start of the message (its tables hold the last
    /// occurrence of each field only).
    @Test func aPageWhoseCustomersComeAroundItsTokenReadsAsTheGenericDecoderReadsIt() throws {
        let first = ListCustomersResponse(customers: [Sample.customer, Samples.bareCustomer], nextPageToken: nil)
        let second = ListCustomersResponse(customers: [Samples.fullCustomer], nextPageToken: nil)
        let token = { (text: String) in try BinaryEncoder().encode(ListCustomersResponse(customers: [], nextPageToken: text)) }
        let bytes = try token("a") + BinaryEncoder().encode(first) + token("b") + BinaryEncoder().encode(second)
        let page = try BinaryDecoder().decode(ListCustomersResponse.self, from: bytes)
        #expect(page == ListCustomersResponse(customers: first.customers + second.customers, nextPageToken: "b"))
        #expect(DecodingOutcome(ListCustomersResponse.self, bytes, direct: true)
            == DecodingOutcome(ListCustomersResponse.self, bytes, direct: false))
        // One customer after the token: its only occurrence is not the message's first field.
        let late = try token("c") + BinaryEncoder().encode(second)
        #expect(try BinaryDecoder().decode(ListCustomersResponse.self, from: late)
            == ListCustomersResponse(customers: second.customers, nextPageToken: "c"))
    }

    /// Each hot message with its fields in reverse order, damaged at every byte for a customer, and
    /// a page with a reversed customer between two in order: the generic decoder's value or error
    /// (see DirectDecodingTests' `fieldsOutOfOrderRepeatedOrOfTwoWireTypes...`).
    @Test func messagesWithTheirFieldsReversedReadAsTheGenericDecoderReadsThem() throws {
        func reversed<T: Encodable>(_ value: T) throws -> [UInt8] {
            wireFields(try BinaryEncoder().encode(value)).reversed().flatMap { $0 }
        }
        func expectSame<T: Codable & Equatable>(_ type: T.Type, _ bytes: [UInt8]) {
            #expect(DecodingOutcome(type, bytes, direct: true) == DecodingOutcome(type, bytes, direct: false),
                    "\(T.self) from \(bytes)")
        }
        let customer = try reversed(Samples.fullCustomer)
        #expect(try BinaryDecoder().decode(Customer.self, from: customer) == Samples.fullCustomer)
        expectSame(Customer.self, customer)
        for position in customer.indices {
            var damaged = customer
            damaged[position] ^= 0x5a
            expectSame(Customer.self, damaged)
        }
        expectSame(Address.self, try reversed(Samples.fullAddress))
        expectSame(Contact.self, try reversed(Samples.fullContact))
        expectSame(ContactInformation.self, try reversed(Samples.information))
        expectSame(CustomerCard.self, try reversed(Samples.fullCard))
        // Customers in order, then one reversed, then in order again.
        let inOrder = try BinaryEncoder().encode(Sample.customer)
        func customerField(_ content: [UInt8]) -> [UInt8] {
            var bytes: [UInt8] = [0x0a]
            var length = content.count
            while length >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: length) | 0x80)
                length >>= 7
            }
            return bytes + [UInt8(truncatingIfNeeded: length)] + content
        }
        let page = [inOrder, customer, inOrder].flatMap(customerField)
        #expect(try BinaryDecoder().decode(ListCustomersResponse.self, from: page) == ListCustomersResponse(
            customers: [Sample.customer, Samples.fullCustomer, Sample.customer], nextPageToken: nil))
        expectSame(ListCustomersResponse.self, page)
        let pageBytes = try BinaryEncoder().encode(ListCustomersResponse(
            customers: [Sample.customer, Samples.fullCustomer, Samples.bareCustomer], nextPageToken: "next"))
        expectSame(ListCustomersResponse.self, wireFields(pageBytes).reversed().flatMap { $0 })
    }

    @Test func randomCustomersAndPages() throws {
        var random = SystemRandomNumberGenerator()
        func text() -> String? {
            [nil, "", "Oy", "Ääkkönen ✓", String(repeating: "é", count: 70)].randomElement(using: &random) ?? nil
        }
        func customer() -> Customer {
            var value = Samples.bareCustomer
            value.id = Int64.random(in: .min ... .max, using: &random)
            value.number = Int64.random(in: 1...9_999_999_999, using: &random)
            value.name = text() ?? "n"
            value.accountManager = Bool.random(using: &random) ? UserRef(id: 3, name: text() ?? "") : nil
            value.description = text()
            value.vatNumber = text()
            value.email = text()
            value.active = Bool.random(using: &random)
            value.deleted = Bool.random(using: &random) ? Bool.random(using: &random) : nil
            value.headOffice = Bool.random(using: &random) ? Samples.fullAddress : nil
            value.registryCheckedAt = Bool.random(using: &random) ? Samples.at : nil
            return value
        }
        for _ in 0..<50 {
            try check(customer(), damaging: false)
            let page = ListCustomersResponse(customers: (0..<Int.random(in: 0...60, using: &random)).map { _ in customer() },
                                             nextPageToken: text())
            try check(page, damaging: false)
        }
    }

    /// A user reference with the bytes of an earlier one of its message is that value again
    /// (`decode(_:_:sameAs:decodedAs:)`); one that differs, even by its id or by one byte of its
    /// name, is read for itself, and one that occurs twice still merges as the generic decoder
    /// merges it.
    @Test func repeatedUserReferencesReadAsTheGenericDecoderReadsThem() throws {
        let alice = Sample.alice
        let references: [(UserRef?, UserRef, UserRef)] = [
            (alice, alice, alice), (nil, alice, alice), (alice, alice, UserRef(id: 2, name: "bob")),
            (UserRef(id: 2, name: "bob"), alice, alice), (alice, UserRef(id: 2, name: "alice"), alice),
            (alice, UserRef(id: 1, name: "alicf"), UserRef(id: 1, name: "alicf")),
            (UserRef(id: 1, name: ""), UserRef(id: 1, name: ""), UserRef(id: 1, name: "")),
        ]
        for (manager, creator, updater) in references {
            var customer = Samples.fullCustomer
            (customer.accountManager, customer.createdBy, customer.updatedBy) = (manager, creator, updater)
            customer.headOffice?.createdBy = creator
            customer.headOffice?.updatedBy = updater
            try check(customer)
            var contact = Samples.fullContact
            (contact.createdBy, contact.updatedBy) = (creator, updater)
            try check(contact, damaging: false)
            var task = Samples.fullTask
            (task.createdBy, task.updatedBy) = (creator, updater)
            try check(task, damaging: false)
        }
        // updatedBy (field 17) again, after the customer's own occurrence: the two merge, so the
        // bob of the second occurrence's name wins over the creator's bytes the first repeats.
        var customer = Samples.fullCustomer
        (customer.createdBy, customer.updatedBy) = (alice, alice)
        let bytes = try BinaryEncoder().encode(customer) + [0x8a, 0x01, 0x05, 0x12, 0x03] + Array("bob".utf8)
        customer.updatedBy = UserRef(id: 1, name: "bob")
        #expect(try BinaryDecoder().decode(Customer.self, from: bytes) == customer)
        #expect(DecodingOutcome(Customer.self, bytes, direct: true) == DecodingOutcome(Customer.self, bytes, direct: false))
    }

    /// The tabs read through `Codable` are nil only when their field does not occur: an empty tab
    /// is a field of no bytes and reads as an empty tab, a tab sent twice merges, on both paths
    /// (the reader answers an absent one from its first pass, without indexing the card again).
    @Test func theCodableTabsAbsentEmptyOrSentTwice() throws {
        let empty = CustomerCard(customer: Samples.bareCustomer, salesAndProjects: ProjectList(projects: []),
                                 collaboration: CollaborationTab(items: []),
                                 financial: FinancialTab(from: nil, to: nil, currencies: []),
                                 files: FilesTab(files: [], links: []))
        #expect(try BinaryEncoder().encode(FilesTab(files: [], links: [])).isEmpty)
        let bytes = try BinaryEncoder().encode(empty)
        let bare = try BinaryEncoder().encode(CustomerCard(customer: Samples.bareCustomer))
        // The financial tab sent again after its empty occurrence, with a period: field 5, merged.
        let period = try BinaryEncoder().encode(FinancialTab(from: "2027-01", to: "2027-12", currencies: []))
        let twice = bytes + [0x2a, UInt8(period.count)] + period
        var merged = empty
        merged.financial = FinancialTab(from: "2027-01", to: "2027-12", currencies: [])
        for direct in [true, false] {
            var decoder = BinaryDecoder()
            decoder.readsDirectly = direct
            let read = try decoder.decode(CustomerCard.self, from: bytes)
            #expect(read == empty, "direct: \(direct)")
            #expect(read.salesAndProjects?.projects == [] && read.files?.links == [] && read.settings == nil,
                    "direct: \(direct)")
            let absent = try decoder.decode(CustomerCard.self, from: bare)
            #expect(absent.salesAndProjects == nil && absent.collaboration == nil && absent.financial == nil
                && absent.settings == nil && absent.files == nil, "direct: \(direct)")
            #expect(try decoder.decode(CustomerCard.self, from: twice) == merged, "direct: \(direct)")
        }
    }

    /// Fields a newer writer added (numbers the reader does not know) are skipped.
    @Test func unknownFieldsAreSkipped() throws {
        let bytes = try BinaryEncoder().encode(Samples.fullCustomer)
        let newer = bytes + [0xb8, 0x01, 0x07, 0xa2, 0x06, 0x01, 0x78]  // field 23 = 7, field 100 = "x"
        #expect(try BinaryDecoder().decode(Customer.self, from: newer) == Samples.fullCustomer)
        #expect(DecodingOutcome(Customer.self, newer, direct: false) == DecodingOutcome(Customer.self, newer, direct: true))
    }

    /// The card's tabs ending in an empty packed run (`12 00`): no more tabs, on both paths
    /// (ENCODING.md §5). The `direct` fuzz target found the generic decoder reading it as one more tab
    /// and failing with `valueNotFound`; its input is kept in Tests/Fuzz/crashes/direct/ too.
    @Test func cardTabsEndingInAnEmptyPackedRun() throws {
        let request: [UInt8] = [0x08, 0x54, 0x10, 0x03, 0x12, 0x01, 0x04, 0x12, 0x00]
        let expected = GetCustomerCardRequest(customerId: 42, tabs: [.financial, .settings])
        for direct in [true, false] {
            var decoder = BinaryDecoder()
            decoder.readsDirectly = direct
            #expect(try decoder.decode(GetCustomerCardRequest.self, from: request) == expected, "direct: \(direct)")
            #expect(try decoder.decode(GetCustomerCardRequest.self, from: [0x08, 0x54, 0x12, 0x00])
                == GetCustomerCardRequest(customerId: 42), "direct: \(direct)")
        }
        let found: [UInt8] = [0x08, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x10, 0x03, 0x20, 0xfe, 0xff, 0xff, 0x01,
                              0x10, 0x03, 0x20, 0x02, 0x12, 0x00]
        #expect(DecodingOutcome(GetCustomerCardRequest.self, found, direct: true)
            == DecodingOutcome(GetCustomerCardRequest.self, found, direct: false))
    }

    /// A customer with two faults, `deleted` (field 22) not a Bool and `createdAt` (field 14) last
    /// sent length-delimited: both paths fail on the same one, `createdAt`, since the synthesized
    /// `init(from:)` reads in the order of the `CodingKeys` cases, where `deleted` is last. (The
    /// reader read `deleted` after `active`, where it is declared; found by the `direct` fuzz target.)
    @Test func aCustomerWithTwoFaultsFailsOnTheSameFieldBothWays() throws {
        let bytes = try BinaryEncoder().encode(Samples.fullCustomer) + [0xb0, 0x01, 0x38, 0x72, 0x00]
        let generic = DecodingOutcome(Customer.self, bytes, direct: false)
        #expect(generic == .failure(.typeMismatch))
        #expect(DecodingOutcome(Customer.self, bytes, direct: true) == generic)
    }
}
