import CustomerClient
import TestSupport
import Testing

/// An import message carries at most `ImportCustomersMessage.maxRows` rows: one with more is
/// refused by its shape before it is decoded (65 000 empty rows in a message, 260 000 bytes,
/// cost the server 168 MiB decoded and converted), and the import writes nothing.
@Suite struct ImportMessageRowLimitTests {
    static let bound = CallOptions(timeout: .seconds(testWaitLimit))
    static let refusal = "rows: at most 1000 in one message of an import, got 1001: send them in several messages"

    static func rows(_ count: Int, named prefix: String) -> [CustomerRecord] {
        (0..<count).map { CustomerRecord(line: Int64($0 + 2), fields: CustomerFields(name: "\(prefix) \($0) Oy")) }
    }

    @Test func aLaterMessageOverTheBoundIsRefusedAndNothingIsWrittenThenOneAtTheBoundIsImported() async throws {
        try await withServer { _, client in
            let refused = await outcome {
                _ = try await client.customers.importRecords(ImportOptions(), callOptions: Self.bound) { send in
                    try await send(Self.rows(1, named: "Small"))
                    try await send(Self.rows(ImportCustomersMessage.maxRows + 1, named: "Over"))
                }
            }
            #expect(refused?.code == .invalidArgument, "\(String(describing: refused))")
            #expect(refused?.message == Self.refusal, "\(String(describing: refused))")
            #expect(refused?.details.map(\.field) == ["rows"], "\(String(describing: refused))")
            #expect(try await client.customers.list(CustomerQuery(status: .all), limit: 10, options: Self.bound).customers.isEmpty)

            let answer = try await client.customers.importRecords(ImportOptions(), callOptions: Self.bound) { send in
                try await send(Self.rows(ImportCustomersMessage.maxRows, named: "At the bound"))
            }
            #expect(answer.rows == 1000)
            #expect(answer.imported == 1000)
        }
    }

    /// The first message, which carries the options, is screened too, before the router decodes it.
    @Test func aFirstMessageOverTheBoundIsRefusedAndTheServerAnswersTheNextCall() async throws {
        try await withServer { _, client in
            let refused = await outcome {
                let _: ImportCustomersResponse = try await client.channel.clientStreaming(
                    CustomerService.importCustomers, options: Self.bound
                ) { (sender: ClientStreamSender<ImportCustomersMessage>) in
                    try await sender.send(ImportCustomersMessage(
                        options: ImportOptions(), rows: Self.rows(ImportCustomersMessage.maxRows + 1, named: "First")))
                }
            }
            #expect(refused?.code == .invalidArgument, "\(String(describing: refused))")
            #expect(refused?.message == Self.refusal, "\(String(describing: refused))")
            #expect(try await client.customers.list(CustomerQuery(status: .all), limit: 10, options: Self.bound).customers.isEmpty)
            let created = try await client.customers.create(CustomerFields(name: "Next Oy"), options: Self.bound)
            #expect(created.name == "Next Oy")
        }
    }
}
