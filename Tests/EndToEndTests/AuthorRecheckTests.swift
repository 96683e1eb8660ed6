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
        try await withServer { server, admin in
            let sales = try await admin.users.add(uid: Self.salesUID, name: "sales", isAdministrator: false, profile: "Sales")
            let client = server.client(asUID: Self.salesUID)
            defer { client.close() }
            try await Self.createRefused(server, admin, client, CallOptions(), after: change,
                                         status: status, message: "\(status == .aborted ? "the rights of user" : "user") \(sales.id) \(message)")
        }
    }

    static let serviceUID: UInt32 = 4612

    /// The same race through a trusted service acting for the Sales user: the service deactivated,
    /// or its trust withdrawn, while the create waits for the writer (standing22,
    /// `contrib/hostile/standing_races.py --only service`; before, the create was written: the
    /// writer re-read only the person).
    @Test(arguments: [
        ("UPDATE users SET active = 0 WHERE name = 'web'", StatusCode.unauthenticated,
         "was deactivated while this call waited to write; nothing was written"),
        ("UPDATE users SET trusted_service = 0 WHERE name = 'web'",
         StatusCode.aborted, "changed while this call waited to write; nothing was written: retry"),
    ])
    func aCreateThroughAServiceChangedWhileItWaitedIsRefused(change: String, status: StatusCode, message: String) async throws {
        try await withServer { server, admin in
            _ = try await admin.users.add(uid: Self.salesUID, name: "sales", isAdministrator: false, profile: "Sales")
            let web = try await admin.users.add(uid: Self.serviceUID, name: "web", isAdministrator: false, profile: "Read only")
            _ = try await admin.users.setTrustedService(user: "web")
            let client = server.client(asUID: Self.serviceUID)
            defer { client.close() }
            try await Self.createRefused(server, admin, client, .acting(for: "sales"), after: change,
                                         status: status, message: "\(status == .aborted ? "the rights of user" : "user") \(web.id) \(message)")
        }
    }

    /// Creates a customer for `sales` through `client` (served once first), then another whose
    /// write waits behind `change` on the writer; expects that one refused as `status`, `message`,
    /// and only the first customer written.
    private static func createRefused(_ server: TestServer, _ admin: CustomerClient, _ client: CustomerClient,
                                      _ options: CallOptions, after change: String,
                                      status: StatusCode, message: String) async throws {
        // Served once, a create as the user may make it.
        let before = try await client.customers.create(CustomerFields(name: "Before the change", accountManager: "sales"),
                                                       options: options)

        let store = server.app.store
        let gate = Gate()
        defer { gate.open() }
        let change = ThreadTask { try store.write { connection in gate.hold(); try connection.run(change) } }
        try await gate.waitUntilHeld()
        async let created = client.customers.create(CustomerFields(name: "Written after the change", accountManager: "sales"),
                                                    options: options)
        try await waitUntil("the create to wait for the writer") { store.writer.statistics.waiting >= 1 }
        gate.open()
        try await change.value

        do {
            let customer = try await created
            Issue.record("the create was written after the change: customer \(customer.id)")
        } catch let error as RPCError {
            #expect(error.code == status)
            #expect(error.message == message)
        }
        #expect(try await admin.customers.list(CustomerQuery(status: .all)).customers.map(\.id) == [before.id])
    }
}
