@testable import CustomerServer
@testable import CustomerStore
import CustomerAPI
import CustomerClient
import RPCCore
import TestSupport
import Testing

/// A unary write whose call the server ended while the write waited for the database's writer
/// (its deadline answered DEADLINE_EXCEEDED, the client's CANCEL) writes nothing: before, it
/// committed in the next group, after its caller had been told it failed (PROTOCOL.md §7.1 called
/// it a caveat). A write queued beside it whose call goes on still commits, in the same group.
@Suite struct WriteAnswerTests {
    enum Ending: CaseIterable { case deadline, cancel }
    /// A write without an idempotency key runs `CustomerStore.write`; with one, `keyedWrite`.
    enum Path: CaseIterable { case plain, keyed }

    @Test(arguments: Ending.allCases, Path.allCases)
    func aWriteEndedWhileItWaitsForTheWriterWritesNothing(_ ending: Ending, _ path: Path) async throws {
        try await withInProcessServer { server in
            let boss = server.client(uid: InProcessServer.bossUID)
            let store = server.app.store
            let late = CustomerFields(number: 8811, name: "Late Oy", country: "FI")
            let patient = CustomerFields(number: 8812, name: "Patient Oy", country: "FI")
            let gate = Gate()
            let holder = ThreadTask { try store.write { _ in gate.hold() } }
            defer { gate.open() }
            try await gate.waitUntilHeld()
            // The connection opened first, so the deadline is all the write's (see ImportAnswerTests).
            _ = try await boss.server.info()

            let waiting = Task { try await Self.create(patient, path, boss, CallOptions()) }
            try await waitUntil("the patient write to wait for the writer", every: .milliseconds(10)) {
                store.writer.statistics.waiting == 1
            }
            let options = ending == .deadline ? CallOptions(timeout: .seconds(2)) : CallOptions()
            let ended = Task { try await Self.create(late, path, boss, options) }
            if ending == .cancel {
                try await waitUntil("the late write to wait for the writer", every: .milliseconds(10)) {
                    store.writer.statistics.waiting == 2
                }
                ended.cancel()
            }
            let error = await #expect(throws: (any Error).self) { _ = try await ended.value }
            if ending == .deadline {
                #expect((error as? RPCError)?.code == .deadlineExceeded, "\(String(describing: error))")
            }
            // The server has ended the call (answered or abandoned it) while the write still waits.
            try await waitUntil("the server to end the late write's call", every: .milliseconds(10)) {
                try await boss.server.info().methods.contains {
                    $0.method == CustomerService.createCustomer.descriptor.fullName && $0.calls > 0
                }
            }
            gate.open()
            try await holder.value

            #expect(try await waiting.value.number == 8812)
            let numbers = try await boss.customers.list(CustomerQuery(status: .all)).customers.map(\.number)
            #expect(numbers == [8812])
            // Nothing of the ended write stayed behind: its number, and its key, are free.
            #expect(try await Self.create(late, path, boss, CallOptions()).number == 8811)
        }
    }

    private static func create(_ fields: CustomerFields, _ path: Path, _ client: CustomerClient,
                               _ options: CallOptions) async throws -> Customer {
        switch path {
        case .plain:
            try await client.channel.unary(CustomerService.createCustomer.descriptor,
                                           CreateCustomerRequest(fields: fields), as: Customer.self, options: options)
        case .keyed:
            try await client.customers.create(fields, options: options)
        }
    }
}
