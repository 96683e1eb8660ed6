@testable import CustomerServer
@testable import CustomerStore
import CustomerAPI
import CustomerClient
import RPCCore
import TestSupport
import Testing

/// An import whose call the server ended before the import had written (its deadline answered
/// DEADLINE_EXCEEDED, the client's CANCEL) writes nothing, also when it was already waiting for
/// the database's writer then: before, it committed once it got the writer, after its caller was
/// told it had failed (found by the `streams` fuzz target's replay at a load of ~40: the change
/// feed moved during a later call).
@Suite struct ImportAnswerTests {
    enum Ending: CaseIterable { case deadline, cancel }

    @Test(arguments: Ending.allCases)
    func anImportEndedWhileItWaitsForTheWriterWritesNothing(_ ending: Ending) async throws {
        try await withInProcessServer { server in
            let boss = server.client(uid: InProcessServer.bossUID)
            let store = server.app.store
            let rows = [CustomerRecord(fields: CustomerFields(number: 8801, name: "Late One Oy", country: "FI")),
                        CustomerRecord(fields: CustomerFields(number: 8802, name: "Late Two Oy", country: "FI"))]
            let gate = Gate()
            let holder = ThreadTask { try store.write { _ in gate.hold() } }
            defer { gate.open() }
            try await gate.waitUntilHeld()

            // The connection opened first, so that the deadline is all the import's, not partly a
            // handshake's (a call whose deadline passes before it is written never reaches the
            // server, and the wait for the server to end it below would never end).
            _ = try await boss.server.info()
            // A deadline long enough for the import to reach the writer on a quiet machine; on a
            // starved one it may end sooner, and the import must write nothing either way.
            let options = ending == .deadline ? CallOptions(timeout: .seconds(2)) : CallOptions()
            let late = Task {
                try await boss.customers.importRecords(ImportOptions(), callOptions: options) { send in try await send(rows) }
            }
            if ending == .cancel {
                try await waitUntil("the import to wait for the writer", every: .milliseconds(10)) {
                    store.writer.statistics.waiting > 0
                }
                late.cancel()
            }
            let error = await #expect(throws: (any Error).self) { _ = try await late.value }
            if ending == .deadline {
                #expect((error as? RPCError)?.code == .deadlineExceeded, "\(String(describing: error))")
            }
            // The server has ended the call (answered or abandoned it) while the import still waits.
            try await waitUntil("the server to end the import's call", every: .milliseconds(10)) {
                try await boss.server.info().methods.contains { $0.method == CustomerService.importCustomers.fullName && $0.calls > 0 }
            }
            gate.open()
            try await holder.value

            // Queued behind the ended import for the writer: it finds the numbers free.
            let again = try await boss.customers.importRecords(ImportOptions()) { send in try await send(rows) }
            #expect(again.imported == 2)
            let numbers = try await boss.customers.list(CustomerQuery(status: .all)).customers.map(\.number)
            #expect(numbers.sorted() == [8801, 8802])
        }
    }
}
