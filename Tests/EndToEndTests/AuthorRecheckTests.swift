@testable import CustomerServer
@testable import CustomerStore
import CustomerClient
import Foundation
import RPCCore
import SQLiteEngine
import TestSupport
import Testing

/// A create whose call was admitted while its user was an active Sales user, and whose write runs
/// after a deactivation or a demotion committed ahead of it, is refused and writes nothing
/// (race21's `stateful_races.py --only users`, made deterministic: the change is written by the
/// write that holds the writer while the create waits behind it).
@Suite struct AuthorRecheckTests {
    static let salesUID: UInt32 = 4611

    @Test(arguments: [
        ("UPDATE users SET active = 0 WHERE name = 'sales'", StatusCode.unauthenticated,
         "was deactivated while this call waited to write; nothing was written"),
        ("UPDATE users SET profile_id = (SELECT id FROM permission_profiles WHERE name = 'Read only') WHERE name = 'sales'",
         StatusCode.aborted, "changed while this call waited to write; nothing was written: retry"),
    ])
    func aCreateWrittenAfterItsUsersChangeIsRefused(change: String, status: StatusCode, message: String) async throws {
        try await withServer(seconds: 60) { server, admin in
            let sales = try await admin.users.add(uid: Self.salesUID, name: "sales", isAdministrator: false, profile: "Sales")
            let client = server.client(asUID: Self.salesUID)
            defer { client.close() }
            // Served once, a create as the user may make it.
            let before = try await client.customers.create(CustomerFields(name: "Before the change", accountManager: "sales"))

            let store = server.app.store
            let gate = Gate()
            defer { gate.open() }
            let change = ThreadTask { try store.write { connection in gate.hold(); try connection.run(change) } }
            try await gate.waitUntilHeld()
            async let created = client.customers.create(CustomerFields(name: "Written after the change", accountManager: "sales"))
            try await waitUntil("the create to wait for the writer") { store.writer.statistics.waiting >= 1 }
            gate.open()
            try await change.value

            do {
                let customer = try await created
                Issue.record("the create was written after its user changed: customer \(customer.id)")
            } catch let error as RPCError {
                #expect(error.code == status)
                #expect(error.message == "\(status == .aborted ? "the rights of user" : "user") \(sales.id) \(message)")
            }
            #expect(try await admin.customers.list(CustomerQuery(status: .all)).customers.map(\.id) == [before.id])
        }
    }
}
