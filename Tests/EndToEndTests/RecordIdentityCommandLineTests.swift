import CustomerClient
import Foundation
import Testing

/// Issue 12 §4 from the shell: a record keeps its identity, its id and its customer number.
@Suite struct RecordIdentityCommandLineTests {
    func ctl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
    }

    @Test func aNewCustomerAfterDeletingTheNewestHasANewIdAndOnlyItsOwnHistory() async throws {
        try await withServer { server, client in
            _ = try await client.customers.create(CustomerFields(name: "Kept Oy"))
            let deleted = try await client.customers.create(CustomerFields(name: "Deleted Oy"))
            _ = try await client.customers.update(id: deleted.id, CustomerFields(email: "old@deleted.fi"))
            let delete = try await ctl(server, "customers", "delete", String(deleted.id), "--confirm")
            #expect(delete.status == 0, "\(delete.stderr)")

            let fresh = try await client.customers.create(CustomerFields(name: "Fresh Oy"))
            #expect(fresh.id > deleted.id)
            let history = try await ctl(server, "history", "customer", String(fresh.id), "--output", "json")
            #expect(history.status == 0, "\(history.stderr)")
            #expect(history.stdout.contains("\"created\""))
            #expect(!history.stdout.contains("\"updated\"") && !history.stdout.contains("\"deleted\""))
            #expect(!history.stdout.contains("old@deleted.fi"))
        }
    }

    @Test func aNumberOutOfRangeIsRefusedAndAutomaticNumberingGoesOn() async throws {
        try await withServer { server, client in
            let refused = try await ctl(server, "customers", "create", "--name", "Max Oy", "--number", "9223372036854775807")
            #expect(refused.status == 13)  // 10 + INVALID_ARGUMENT
            #expect(refused.stderr.contains("number: must be a whole number from 1 to 9999999999"), "\(refused.stderr)")
            #expect(try await client.customers.list().customers.isEmpty)

            let highest = try await ctl(server, "customers", "create", "--name", "Highest Oy", "--number", "9999999999")
            #expect(highest.status == 0, "\(highest.stderr)")
            let automatic = try await ctl(server, "customers", "create", "--name", "Automatic Oy")
            #expect(automatic.status == 0, "\(automatic.stderr)")
            #expect(try await client.customers.list().customers.map(\.number).sorted() == [10_001, 9_999_999_999])
        }
    }
}
