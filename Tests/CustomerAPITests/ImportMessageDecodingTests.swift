import BinaryCoding
import CustomerAPI
import DecodingComparison
import Testing

/// An import's messages read their own fields (`DirectDecodable`): each decodes to the value it was
/// encoded from, as the generic decoder decodes it, and damaged bytes fail on both paths with the
/// same kind of error (`HotMessageDecodingTests.check`).
@Suite struct ImportMessageDecodingTests {
    static let fullRecord = CustomerRecord(
        line: 7,
        fields: CustomerFields(number: 1001, name: "Acme Oy", accountManager: "alice", description: "d",
                               vatNumber: "FI01120389", country: "FI", industry: "Retail", email: "a@b.fi",
                               website: "https://acme.example", phone: "+358 1"),
        address: AddressFields(street1: "Katu 1", street2: "B 2", street3: "PL 3", postalCode: "00100", city: "Helsinki",
                               region: "Uusimaa", country: "FI", kind: .postal),
        contact: ContactFields(firstName: "Anna", lastName: "Ääkkönen", title: "CEO", email: "anna@acme.example",
                               phone: "+358 2", mobile: "+358 3", language: "fi", notes: "two\nlines"),
        businessId: "0112038-9", contactKeywords: ["vip", "sauna"], contactRoles: ["buyer"])

    @Test func theMessagesOfAnImportAndTheirParts() throws {
        let decoding = HotMessageDecodingTests()
        try decoding.check(Self.fullRecord)
        try decoding.check(CustomerRecord(fields: CustomerFields(name: "Bare Oy")))
        try decoding.check(CustomerRecord(fields: CustomerFields(), address: AddressFields(), contact: ContactFields()))
        try decoding.check(AddressFields(country: "SE", kind: .visiting))
        try decoding.check(ContactFields(lastName: "Only"))
        try decoding.check(ImportOptions(dryRun: true, continueOnError: false, allowDuplicateVat: true))
        try decoding.check(ImportOptions())
        try decoding.check(ImportCustomersMessage(options: ImportOptions(continueOnError: true), rows: [Self.fullRecord]))
        try decoding.check(ImportCustomersMessage())
        // A message of many rows, as the clients send them; long, so damaged only in part.
        let many = ImportCustomersMessage(rows: (0..<50).map { index in
            CustomerRecord(line: Int64(index + 2), fields: CustomerFields(name: "Import \(index) Oy", country: "FI",
                                                                          email: "office\(index)@example.com"),
                           contactKeywords: index % 3 == 0 ? ["k\(index)"] : [])
        } + [Self.fullRecord])
        try decoding.check(many, damaging: false)
        let bytes = try BinaryEncoder().encode(many)
        for cut in stride(from: 0, to: bytes.count, by: 11) {
            #expect(DecodingOutcome(ImportCustomersMessage.self, Array(bytes[..<cut]), direct: true)
                == DecodingOutcome(ImportCustomersMessage.self, Array(bytes[..<cut]), direct: false))
        }
    }

    /// An address kind with a number no case has is refused on both paths alike.
    @Test func anUnknownAddressKindIsRefusedAsTheGenericDecoderRefusesIt() throws {
        var bytes = try BinaryEncoder().encode(AddressFields(kind: .delivery))
        guard let last = bytes.indices.last, bytes[last] == 3 else {
            Issue.record("the kind is not the last byte: \(bytes)")
            return
        }
        bytes[last] = 9
        let direct = DecodingOutcome(AddressFields.self, bytes, direct: true)
        #expect(direct == DecodingOutcome(AddressFields.self, bytes, direct: false))
        #expect(direct != DecodingOutcome(AddressFields.self, try BinaryEncoder().encode(AddressFields(kind: .delivery)), direct: true))
    }
}
