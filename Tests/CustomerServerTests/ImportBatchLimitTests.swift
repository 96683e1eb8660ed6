import CustomerAPI
import CustomerClient
import RPCCore
import RPCServing
import TestSupport
import Testing

/// The largest honest request, an import's message of 1 000 rows (customerctl's batch), stays
/// within the server's cap on a request's field occurrences (`Router.requestOccurrenceLimit`)
/// with every field of every row set and keywords and roles besides.
@Suite struct ImportBatchLimitTests {
    static let keywordsPerRow = 20

    /// Row `index` with every field, its address and contact too, set.
    static func fullRow(_ index: Int) -> CustomerRecord {
        let names = (0..<keywordsPerRow).map { "name \($0)" }
        return CustomerRecord(
            line: Int64(index + 2),
            fields: CustomerFields(
                number: Int64(90_000 + index), name: "Batch \(index) Oy", accountManager: "nobody",
                description: "A row of a full batch", vatNumber: "FI00000000", country: "FI", industry: "Testing",
                email: "row\(index)@example.com", website: "https://example.com", phone: "+358 40 000 0000"),
            address: AddressFields(
                street1: "Street 1", street2: "Floor 2", street3: "Door 3", postalCode: "00100", city: "Helsinki",
                region: "Uusimaa", country: "FI", kind: .billing),
            contact: ContactFields(
                firstName: "Anna", lastName: "Row", title: "CEO", email: "anna@example.com", phone: "+358 9 000",
                mobile: "+358 40 000", language: "fi", notes: "none"),
            businessId: "0000000-0", contactKeywords: names, contactRoles: names)
    }

    @Test func aFullBatchOfAThousandRowsIsDecoded() async throws {
        try await withInProcessServer { server in
            let boss = server.client(uid: InProcessServer.bossUID)
            let rows = (0..<1000).map(Self.fullRow)
            // 32 occurrences a row (its own, 10 fields, 8 of the address, 8 of the contact, the line and
            // the business id, each nested message's own) and 40 names: 72 000 in one message.
            let answer = try await boss.customers.importRecords(ImportOptions(dryRun: true, continueOnError: true)) { send in
                try await send(rows)
            }
            #expect(answer.rows == 1000)
            #expect(answer.imported == 0)
            #expect(1000 * (32 + 2 * Self.keywordsPerRow) < Router.requestOccurrenceLimit)
        }
    }
}
