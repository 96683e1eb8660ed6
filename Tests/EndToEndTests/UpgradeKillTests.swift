import CommandLineKit
import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// customerd killed (SIGKILL) while it upgrades a database a version-9 server wrote, at seeded
/// moments up to 2.5 s after its start, 8 times; the next start finishes the upgrade with nothing
/// lost (crash27). Each migration commits with its version in one transaction, and the business
/// ids' backfill after them is one transaction, so a kill leaves the database at a version the
/// next start continues from. On the shared test machine (debug build) the versions after the
/// kills were 9, 12, 28, 28, …: the first start was killed inside migration 13 (30 000 customers'
/// match keys, the slow one), the second after migrations 13 to 28 and the backfill.
@Suite struct UpgradeKillTests {
    static let customers = 30_000

    @Test func anUpgradeKilledAtAnyMomentIsFinishedByTheNextStartWithEveryCustomer() async throws {
        let directory = try LegacySchemaSeeder.version9(customers: (0..<Self.customers).map {
            (name: "Upgrade \($0) Oy", vatNumber: "FI" + Self.finnishBusinessID($0).replacingOccurrences(of: "-", with: ""),
             country: "FI")
        })
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("d.sock").path
        let database = directory.appendingPathComponent("customers.sqlite").path
        var generator = SeededGenerator(seed: 27)
        var versions = [try LegacySchemaSeeder.schemaVersions(of: database).found]
        for _ in 0..<8 {
            let daemon = try startDaemon(socket: socket, database: database)
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...2_500, using: &generator)))
            daemon.terminate(SIGKILL)
            let exit = try await daemon.exitStatus("customerd to exit after SIGKILL")
            #expect(exit == 128 + SIGKILL, "customerd exited \(exit) before the kill")
            // A kill never takes back a migration a start committed.
            versions.append(try LegacySchemaSeeder.schemaVersions(of: database).found)
            #expect(versions.last ?? 0 >= versions.dropLast().last ?? 0, "schema versions after each kill: \(versions)")
        }
        let daemon = try startDaemon(socket: socket, database: database)
        let client = CustomerClient(socketPath: socket)
        do {
            try await waitUntilServing(client)
            var seen = 0
            for try await customer in client.customers.stream(CustomerQuery(status: .all)) {
                let index = Int(customer.name.split(separator: " ")[1]) ?? -1
                #expect(customer.name == "Upgrade \(index) Oy")
                #expect(customer.businessId == Self.finnishBusinessID(index), "\(customer.name)")
                #expect(customer.version == 1)
                seen += 1
            }
            #expect(seen == Self.customers)
            let found = try await client.customers.list(CustomerQuery(search: Self.finnishBusinessID(1_234)))
            #expect(found.customers.map(\.name) == ["Upgrade 1234 Oy"])
        } catch {
            client.close()
            daemon.terminate(SIGKILL)
            _ = try? await daemon.exitStatus("customerd to exit")
            throw error
        }
        client.close()
        await stopDaemon(daemon)
        let upgraded = try LegacySchemaSeeder.schemaVersions(of: database)
        #expect(upgraded.found == upgraded.latest)
    }

    /// A valid Finnish business id (7 digits, a check digit) for `index`, "1234567-1" form.
    static func finnishBusinessID(_ index: Int) -> String {
        var number = 1_000_000 + index * 7
        while true {
            let digits = String(number).compactMap(\.wholeNumberValue)
            let sum = zip(digits, [7, 9, 10, 5, 8, 4, 2]).map { $0 * $1 }.reduce(0, +)
            let remainder = sum % 11
            if remainder != 1 { return "\(number)-\(remainder == 0 ? 0 : 11 - remainder)" }
            number += 1
        }
    }
}
