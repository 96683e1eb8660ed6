import CustomerClient
import Foundation
import Testing

/// StreamCustomers, ExportCustomers and StreamMailingList while customers move in their order:
/// each customer of the stream's start is delivered once, in the start's order, as it is at its
/// turn; one erased before its turn is left out (docs/HARDENING.md, "Streams read by name or
/// number while customers move in that order").
///
/// Deterministic without waiting: the streams are read through a client that grants a window of
/// one byte, so the server sends one message ahead of what the test has read. Once the test holds
/// the first message, the server has read the stream's first batch (16 rows) and no other: the
/// customers sorted 0...15 are behind its position, those from 16 on ahead of it.
@Suite struct OrderedStreamMoveTests {
    /// 40 customers, named `C 00`...`C 39` and numbered 100...139, so name and number order agree;
    /// each with a contact on the `newsletter` keyword.
    private static func seed(_ client: CustomerClient) async throws -> [Customer] {
        _ = try await client.labels.create(.keyword, name: "newsletter")
        var customers: [Customer] = []
        for index in 0..<40 {
            let customer = try await client.customers.create(
                CustomerFields(number: Int64(100 + index), name: String(format: "C %02d", index)))
            _ = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Contact \(index)"),
                                                 keywords: ["newsletter"])
            customers.append(customer)
        }
        return customers
    }

    /// The moves made once the stream's first batch was read: customer 30 from ahead of the
    /// position to behind it, customer 5 from behind to ahead, customer 20 behind and back ahead,
    /// and customer 35 (ahead) erased.
    private static func move(_ client: CustomerClient, _ customers: [Customer], byNumber: Bool) async throws {
        func place(_ index: Int, name: String, number: Int64) async throws {
            let fields = byNumber ? CustomerFields(number: number) : CustomerFields(name: name)
            _ = try await client.customers.update(id: customers[index].id, fields)
        }
        try await place(30, name: "B 30", number: 30)
        try await place(5, name: "D 05", number: 505)
        try await place(20, name: "B 20", number: 20)
        try await place(20, name: "D 20", number: 520)
        try await client.customers.delete(id: customers[35].id, confirm: true)
    }

    /// A client whose streams the server runs at most one message ahead of.
    private static func oneMessageWindow(_ server: TestServer) -> CustomerClient {
        var configuration = ClientConfiguration()
        configuration.initialStreamWindow = 1
        return CustomerClient(socketPath: server.socketPath, configuration: configuration)
    }

    /// What each stream must deliver: every customer of the start but the erased one, in the
    /// start's order.
    private static func expected(_ customers: [Customer]) -> [Int64] {
        customers.indices.filter { $0 != 35 }.map { customers[$0].id }
    }

    @Test(arguments: CustomerQuery.Order.allCases)
    func streamCustomersDeliversEachCustomerOnceWhileTheyMove(order: CustomerQuery.Order) async throws {
        try await withServer { server, client in
            let customers = try await Self.seed(client)
            let reader = Self.oneMessageWindow(server)
            defer { reader.close() }
            var stream = reader.customers.stream(CustomerQuery(order: order)).makeAsyncIterator()
            var delivered = [try #require(try await stream.next())]
            try await Self.move(client, customers, byNumber: order == .number)
            while let customer = try await stream.next() { delivered.append(customer) }

            #expect(delivered.map(\.id) == Self.expected(customers))
            // As read at its turn: customer 30 with what it was renamed (renumbered) to.
            let thirty = delivered.first { $0.id == customers[30].id }
            #expect(order == .number ? thirty?.number == 30 : thirty?.name == "B 30")
        }
    }

    @Test func exportDeliversEachCustomerOnceWhileTheyAreRenamed() async throws {
        try await withServer { server, client in
            let customers = try await Self.seed(client)
            let reader = Self.oneMessageWindow(server)
            defer { reader.close() }
            var export = reader.customers.export().makeAsyncIterator()
            var delivered = [try #require(try await export.next())]
            try await Self.move(client, customers, byNumber: false)
            while let record = try await export.next() { delivered.append(record) }

            // An export's records carry numbers, not ids.
            let numbers = Dictionary(uniqueKeysWithValues: customers.map { ($0.number, $0.id) })
            #expect(delivered.map { $0.fields.number.flatMap { numbers[$0] } } == Self.expected(customers))
            #expect(delivered.first { $0.fields.number == customers[30].number }?.fields.name == "B 30")
        }
    }

    @Test func mailingListDeliversEachContactOnceWhileCustomersAreRenamed() async throws {
        try await withServer { server, client in
            let customers = try await Self.seed(client)
            let reader = Self.oneMessageWindow(server)
            defer { reader.close() }
            var list = reader.contacts.mailingList(keyword: "newsletter").makeAsyncIterator()
            var delivered = [try #require(try await list.next())]
            try await Self.move(client, customers, byNumber: false)
            while let entry = try await list.next() { delivered.append(entry) }

            #expect(delivered.map(\.customerId) == Self.expected(customers))
            #expect(delivered.first { $0.customerId == customers[30].id }?.customerName == "B 30")
        }
    }
}
