import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct MigrationTests {
    @Test func versionsAreNumberedFromOneWithoutGaps() {
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.all.count))
    }

    @Test func oldDatabaseIsMigratedOnceAndKeepsItsData() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        var old = StoreOptions()
        old.migrateUpTo = Migrations.latestVersion - 1
        do {
            let store = try CustomerStore(path: path, options: old)
            #expect(store.appliedMigrations == Array(1..<Migrations.latestVersion))
            try insertLegacyUser(store, uid: 42, name: "carol", isAdministrator: true)
            store.close()
        }

        let upgraded = try CustomerStore(path: path)
        #expect(upgraded.appliedMigrations == [Migrations.latestVersion])
        let carol = try #require(try upgraded.user(uid: 42))
        let customer = try upgraded.createCustomer(NewCustomer(name: "Migrated Oy"), by: .user(carol.id))
        #expect(customer.number == 10_001)
        upgraded.close()

        let again = try CustomerStore(path: path)
        #expect(again.appliedMigrations.isEmpty)
        #expect(try again.customer(number: 10_001).name == "Migrated Oy")
    }

    @Test func migrationsAreRecordedInUserVersion() throws {
        let directory = try TemporaryDirectory()
        var options = StoreOptions()
        options.migrateUpTo = 1
        try CustomerStore(path: directory.databasePath, options: options).close()
        let raw = try SQLiteConnection(path: directory.databasePath, role: .writer, options: .init())
        #expect(try Migrations.currentVersion(of: raw) == 1)
        let tables = try raw.withStatement("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { statement in
            var names: [String] = []
            while try statement.step() { names.append(statement.text(0)) }
            return names
        }
        #expect(tables == ["users"])
    }
}

@Suite struct ContactInformationMigrationTests {
    /// A database of the issue-3 schema (version 2) with customers is upgraded in place: the data
    /// is kept and the new features work on the old rows.
    @Test func version2DatabaseWithCustomersIsUpgraded() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        var old = StoreOptions()
        old.migrateUpTo = 2
        let admin: StoredUserRef
        do {
            let store = try CustomerStore(path: path, options: old)
            admin = StoredUserRef(id: try insertLegacyUser(store, uid: 7, name: "dora", isAdministrator: true), name: "dora")
            // The row as the version-2 code wrote it (today's createCustomer also writes history).
            try store.write { connection in
                try connection.run("""
                    INSERT INTO customers (id, number, name, name_key, search_text, vat_number, country, created_at,
                        created_by, updated_at, updated_by)
                    VALUES (5, 10001, 'Legacy AB', 'legacy ab', 'legacy ab 10001', 'SE556677889901', 'SE', 1000, ?, 2000, ?)
                    """, [.integer(admin.id), .integer(admin.id)])
            }
            store.close()
        }

        let upgraded = try CustomerStore(path: path)
        #expect(upgraded.appliedMigrations == Array(3...Migrations.latestVersion))
        let before = StoredCustomer(id: 5, number: 10_001, name: "Legacy AB", vatNumber: "SE556677889901", country: "SE",
                              active: true, version: 1, createdAt: Date(milliseconds: 1_000), createdBy: admin,
                              updatedAt: Date(milliseconds: 2_000), updatedBy: admin)
        #expect(try upgraded.customer(id: before.id) == before)
        #expect(try upgraded.history(.customer, id: before.id) == [])  // older than the history
        let address = try upgraded.addAddress(customerID: before.id, StoredAddressFields(city: "Malmö", country: "SE"),
                                              by: .user(before.createdBy.id))
        #expect(try upgraded.customer(id: before.id).headOffice == address)
        let contact = try upgraded.createContact(customerID: before.id, StoredContactFields(lastName: "Berg"), keywords: [],
                                                 roles: [], by: .user(before.createdBy.id))
        #expect(try upgraded.contacts(customerID: before.id, includeDeactivated: false) == [contact])
        upgraded.close()
    }
}
