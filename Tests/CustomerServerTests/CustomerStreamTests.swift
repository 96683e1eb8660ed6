import CustomerClient
import Testing

/// A server-streaming call through the in-process pair: every record, in the default (name) order.
@Suite struct CustomerStreamTests {
    @Test func streamingTheCustomersYieldsEveryOneAsCreatedInNameOrder() async throws {
        try await withInProcessServer { server in
            let boss = server.client(uid: InProcessServer.bossUID)
            var created: [Customer] = []
            for index in 1...40 {
                created.append(try await boss.customers.create(CustomerFields(name: "Streamed \(index + 100) Oy")))
            }
            var streamed: [Customer] = []
            for try await customer in boss.customers.stream(CustomerQuery(status: .all)) {
                streamed.append(customer)
            }
            // Names of equal length were created in name order, so the stream repeats `created`.
            #expect(streamed == created)
        }
    }
}
