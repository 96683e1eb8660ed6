import Foundation
import Testing
@testable import CustomerStore

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
            try store.addUser(uid: 42, name: "carol", isAdministrator: true)
            store.close()
        }

        let upgraded = try CustomerStore(path: path)
        #expect(upgraded.appliedMigrations == [Migrations.latestVersion])
        let carol = try #require(try upgraded.user(uid: 42))
        let customer = try upgraded.createCustomer(NewCustomer(name: "Migrated Oy"), by: carol.id)
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
