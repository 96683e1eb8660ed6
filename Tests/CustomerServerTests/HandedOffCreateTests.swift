@testable import CustomerServer
@testable import CustomerStore
import CustomerAPI
import CustomerClient
import TestSupport
import Testing

/// A create without an idempotency key is handed to the group commit (`CustomerStore.createCustomer(_:allowDuplicateVAT:by:then:)`):
/// while it waits for the writer its connection serves the caller's next calls, and it is
/// answered, with the customer as written, only once its group committed. (That its connection
/// thread is free meanwhile, not a follower's, LaterAnswerTests shows on the RPC server.)
@Suite struct HandedOffCreateTests {
    @Test func theConnectionServesItsNextCallsWhileItsCreateWaitsForTheWriter() async throws {
        try await withInProcessServer { server in
            let boss = server.client(uid: InProcessServer.bossUID)
            let store = server.app.store
            let kept = try await boss.customers.create(CustomerFields(number: 7001, name: "Kept Oy", country: "FI"))
            let gate = Gate()
            let holder = ThreadTask { try store.write { _ in gate.hold() } }
            defer { gate.open() }
            try await gate.waitUntilHeld()

            let waiting = Task {
                try await boss.channel.unary(
                    CustomerService.createCustomer.descriptor,
                    CreateCustomerRequest(fields: CustomerFields(number: 7002, name: "Waiting Oy", country: "FI")),
                    as: Customer.self)
            }
            try await waitUntil("the create to wait for the writer", every: .milliseconds(10)) {
                store.writer.statistics.waiting == 1
            }
            #expect(try await boss.customers.get(id: kept.id) == kept)
            #expect(try await boss.customers.list(CustomerQuery(status: .all)).customers.map(\.number) == [7001])
            #expect(store.writer.statistics.waiting == 1)  // Still not written, so not answered.

            gate.open()
            try await holder.value
            let created = try await waiting.value
            #expect(created.number == 7002 && created.name == "Waiting Oy")
            #expect(try await boss.customers.get(id: created.id) == created)
        }
    }
}
