import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 23 makes `customers_by_account_manager` partial: a customer without an account
/// manager (most creates) writes no entry, and every lookup by manager still reads the index.
@Suite struct AccountManagerIndexMigrationTests {
    @Test func databaseBeforeVersion23KeepsItsCustomersAndIndexesOnlyTheManaged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        var author = Author.user(0)
        var before: [StoredCustomer] = []
        do {
            var options = StoreOptions()
            options.migrateUpTo = Migrations.accountManagerIndex.version - 1
            let store = try CustomerStore(path: path, options: options)
            let carol = try insertLegacyUser(store, uid: 42, name: "carol", isAdministrator: true)
            author = .user(carol)
            before = try writingTodaysHistory(store) {
                [try store.createCustomer(NewCustomer(name: "Managed Oy", accountManagerID: carol), by: author),
                 try store.createCustomer(NewCustomer(name: "Unmanaged Oy"), by: author)]
            }
            #expect(try Self.indexSQL(store).contains("WHERE") == false)
            store.close()
        }

        let upgraded = try CustomerStore(path: path)
        #expect(upgraded.appliedMigrations.first == Migrations.accountManagerIndex.version)
        #expect(try Self.indexSQL(upgraded).hasSuffix("WHERE account_manager_id IS NOT NULL"))
        #expect(try before.map { try upgraded.customer(id: $0.id) } == before)
        let manager = try #require(before[0].accountManager)
        let after = try upgraded.createCustomer(NewCustomer(name: "Also Managed Oy", accountManagerID: manager.id), by: author)
        #expect(try allPages(upgraded, CustomerFilter(status: .all, accountManagerID: manager.id)).map(\.id)
            == [after.id, before[0].id])
        #expect(try Self.plan(upgraded, "SELECT id FROM customers WHERE account_manager_id = ?")
            .contains("customers_by_account_manager"))
        upgraded.close()
    }

    /// The index's definition as stored.
    private static func indexSQL(_ store: CustomerStore) throws -> String {
        try store.read { connection in
            try connection.withStatement("SELECT sql FROM sqlite_master WHERE name = 'customers_by_account_manager'") {
                statement in
                try statement.step() ? statement.text(0) : ""
            }
        }
    }

    private static func plan(_ store: CustomerStore, _ sql: String) throws -> String {
        try store.read { connection in
            try connection.withStatement("EXPLAIN QUERY PLAN " + sql) { statement in
                var details: [String] = []
                while try statement.step() { details.append(try statement.text("detail")) }
                return details.joined(separator: "; ")
            }
        }
    }
}
