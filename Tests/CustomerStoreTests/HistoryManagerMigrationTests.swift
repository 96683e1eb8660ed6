import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 28 adds `history.manager_id`: a version-27 database keeps its history and its feed
/// (entries from before name no manager and are kept by the customer's manager now, as before), and
/// every entry written after names the manager the customer had.
@Suite struct HistoryManagerMigrationTests {
    @Test func aVersion27DatabaseKeepsItsFeedAndRecordsTheManagerFromThenOn() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        let (admin, bob, carol): (Author, Int64, Int64)
        let (handed, kept): (StoredCustomer, StoredCustomer)
        do {
            // Made at 28: the version set back to 27 below runs 28 again, then 29 (the search index) once.
            var options = Fixture.options(clock: clock)
            options.migrateUpTo = Migrations.historyManager.version
            let store = try CustomerStore(path: directory.databasePath, options: options)
            admin = .user(try store.addUser(uid: 1000, name: "alice", isAdministrator: true).id)
            bob = try store.addUser(uid: 1001, name: "bob").id
            carol = try store.addUser(uid: 1002, name: "carol").id
            handed = try store.createCustomer(NewCustomer(name: "Handed Oy", accountManagerID: bob), by: admin)
            kept = try store.createCustomer(NewCustomer(name: "Kept Oy", accountManagerID: bob), by: admin)
            _ = try store.updateCustomer(id: handed.id, CustomerChanges(accountManagerID: .some(carol)), expectedVersion: nil, by: admin)
            // The history as version 27 wrote it: the same table without the column.
            try store.write { connection in
                try connection.execute("ALTER TABLE history DROP COLUMN manager_id")
                try connection.execute("PRAGMA user_version = \(Migrations.historyManager.version - 1)")
            }
            store.close()
        }

        let upgraded = try CustomerStore(path: directory.databasePath, options: Fixture.options(clock: clock))
        defer { upgraded.close() }
        #expect(upgraded.appliedMigrations == Array(Migrations.historyManager.version...Migrations.latestVersion))
        #expect(try HistoryManagerTests.managers(upgraded, customerID: handed.id)
            == ["customer created -", "customer updated -"])
        func feed(_ manager: Int64) throws -> [String] {
            try upgraded.changes(after: 0, filter: ChangeFeedFilter(accountManagerID: manager), limit: 100).entries
                .map { "\($0.customerID == handed.id ? "handed" : "kept") \($0.action)" }
        }
        // Entries from before: by the manager now, as version 27 kept them.
        #expect(try feed(bob) == ["kept created"])
        #expect(try feed(carol) == ["handed created", "handed updated"])

        // From now on the one a customer leaves is told: carol of the hand-off back, bob of the erasure.
        _ = try upgraded.updateCustomer(id: handed.id, CustomerChanges(accountManagerID: .some(bob)), expectedVersion: nil, by: admin)
        try upgraded.deleteCustomer(id: kept.id, by: admin)
        // Carol keeps the hand-off back; the entries from before are bob's again (his customer now).
        #expect(try feed(carol) == ["handed updated"])
        #expect(try feed(bob) == ["handed created", "handed updated", "handed updated", "kept deleted"])
    }
}
