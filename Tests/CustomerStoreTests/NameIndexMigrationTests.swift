import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 22 drops `customers_by_name`: a create writes one name-ordered index entry instead of
/// two, and every listing by name still reads one index range (or two merged) in order.
@Suite struct NameIndexMigrationTests {
    @Test func databaseBeforeVersion22KeepsItsListingsAndLosesTheIndex() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        var author = Author.user(0)
        let before: StoredCustomer
        do {
            var options = StoreOptions()
            options.migrateUpTo = Migrations.nameIndex.version - 1
            let store = try CustomerStore(path: path, options: options)
            author = .user(try insertLegacyUser(store, uid: 42, name: "carol", isAdministrator: true))
            before = try writingTodaysHistory(store) { try store.createCustomer(NewCustomer(name: "Before Oy"), by: author) }
            #expect(try indexNames(store).contains("customers_by_name"))
            store.close()
        }

        let upgraded = try CustomerStore(path: path)
        #expect(upgraded.appliedMigrations.first == Migrations.nameIndex.version)
        #expect(!(try indexNames(upgraded).contains("customers_by_name")))
        #expect(try indexNames(upgraded).contains("customers_by_status_name"))
        let after = try upgraded.createCustomer(NewCustomer(name: "Aaa After Oy"), by: author)
        _ = try upgraded.setCustomerActive(id: before.id, false, expectedVersion: nil, by: author)
        #expect(try allPages(upgraded, CustomerFilter(status: .all)).map(\.id) == [after.id, before.id])
        #expect(try allPages(upgraded, CustomerFilter(status: .inactive)).map(\.id) == [before.id])
        #expect(try allPages(upgraded).map(\.id) == [after.id])
        upgraded.close()
    }

    /// Every status by name: active and inactive customers interleaved by name across pages, as the
    /// dropped index ordered them, each once, from page tokens that resume in both merged ranges.
    @Test func everyStatusByNameInterleavesActiveAndInactiveAcrossPages() throws {
        let fixture = try Fixture()
        let names = (0..<40).map { ["Ab", "ab", "Öljy \($0)", "zeta \($0)", "Mäki \($0)"][$0 % 5] }
        let ids = try fixture.store.createCustomers(names.map { NewCustomer(name: $0) }, by: .user(fixture.admin.id))
        for (index, id) in ids.enumerated() where index % 3 == 0 {
            _ = try fixture.store.setCustomerActive(id: id, false, expectedVersion: nil, by: .user(fixture.admin.id))
        }
        let listed = try allPages(fixture.store, CustomerFilter(status: .all), limit: 7)
        #expect(listed.map(\.id).sorted() == ids.sorted())
        let keys = listed.map { (SearchKey.fold($0.name), $0.id) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Set(listed.prefix(7).map(\.active)) == [true, false], "a page mixes both statuses")
        #expect(try allPages(fixture.store, CustomerFilter(status: .all, search: "mäki"), limit: 3).map(\.id)
            == listed.filter { $0.name.hasPrefix("Mäki") }.map(\.id))
    }
}
