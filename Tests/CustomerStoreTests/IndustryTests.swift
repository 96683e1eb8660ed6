import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct IndustryTests {
    @Test func customersNameAListedIndustryOrNone() throws {
        let fixture = try Fixture()
        let retail = try fixture.store.createIndustry(name: " Retail ")
        #expect(retail.name == "Retail" && retail.customerCount == 0)
        #expect(throws: StoreError.alreadyExists("is already taken by the industry 'Retail' (names are compared as they print: ignoring case, compatibility forms and characters that do not show)", field: "name")) {
            try fixture.store.createIndustry(name: "RETAIL")
        }
        #expect(violations { _ = try fixture.store.createIndustry(name: "") }?.map(\.field) == ["name"])

        #expect(violations {
            _ = try fixture.store.createCustomer(NewCustomer(name: "Shop", industry: "Mining"), by: .user(fixture.admin.id))
        } == [FieldViolation(field: "industry", reason: "unknown industry 'Mining': add it with customerctl industries add")])
        #expect(try allPages(fixture.store).isEmpty)

        // Named in any case, it reads back as the list spells it.
        let shop = try fixture.store.createCustomer(NewCustomer(name: "Shop", industry: "retail"), by: .user(fixture.admin.id))
        #expect(shop.industry == "Retail")
        #expect(try fixture.store.industries() == [StoredIndustry(id: retail.id, name: "Retail", customerCount: 1)])
        #expect(violations {
            _ = try fixture.store.updateCustomer(id: shop.id, CustomerChanges(industry: "Mining"), expectedVersion: nil,
                                                 by: .user(fixture.admin.id))
        }?.map(\.field) == ["industry"])
        let cleared = try fixture.store.updateCustomer(id: shop.id, CustomerChanges(industry: ""), expectedVersion: nil,
                                                       by: .user(fixture.admin.id))
        #expect(cleared.industry == nil)
        #expect(try fixture.store.history(.customer, id: shop.id).last?.changes
                == [StoredFieldChange(field: "industry", oldValue: "Retail", newValue: nil)])
    }

    /// The industry a write names is the row's, as the checks found it: created alone, created in a
    /// group with others (`CustomerCreateBatch`), changed by an update; each read back from the table.
    @Test func theIndustryAWriteNamesIsTheOneStored() async throws {
        let fixture = try Fixture.withLogTable()
        let retail = try fixture.store.createIndustry(name: "Retail")
        let software = try fixture.store.createIndustry(name: "Software")
        let alone = try fixture.store.createCustomer(NewCustomer(name: "Shop", industry: "retail"), by: .user(fixture.admin.id))
        let gate = Gate()
        let held = try await fixture.startHeldWrite(gate)
        var tasks: [ThreadTask<StoredCustomer>] = []
        for (index, industry) in ["SOFTWARE", nil, "Retail"].enumerated() {
            tasks.append(ThreadTask { [admin = fixture.admin] in
                try fixture.store.createCustomer(NewCustomer(name: "Grouped \(index)", industry: industry), by: .user(admin.id))
            })
            try await fixture.waitUntilQueued(index + 1)
        }
        gate.open()
        _ = try await held.value
        var grouped: [StoredCustomer] = []
        for task in tasks { grouped.append(try await task.value) }
        let updated = try fixture.store.updateCustomer(id: alone.id, CustomerChanges(industry: "software"), expectedVersion: nil,
                                                       by: .user(fixture.admin.id))
        #expect([alone.industry, updated.industry] + grouped.map(\.industry) == ["Retail", "Software", "Software", nil, "Retail"])
        for written in [updated] + grouped {
            #expect(try fixture.store.customer(id: written.id) == written)
        }
        #expect(try fixture.store.industries().map(\.customerCount) == [1, 2])
        #expect([retail.id, software.id] == (try fixture.store.industries().map(\.id)))
    }

    @Test func renameIsSeenByItsCustomersAndDeletionNeedsForce() throws {
        let fixture = try Fixture()
        _ = try fixture.store.createIndustry(name: "IT")
        _ = try fixture.store.createIndustry(name: "Energy")
        let ids = try fixture.store.createCustomers([NewCustomer(name: "A", industry: "it"), NewCustomer(name: "B", industry: "IT")],
                                                    by: .user(fixture.admin.id))
        let renamed = try fixture.store.renameIndustry(name: "it", to: "Software")
        #expect(renamed.name == "Software" && renamed.customerCount == 2)
        #expect(try ids.map { try fixture.store.customer(id: $0).industry } == ["Software", "Software"])
        #expect(throws: StoreError.alreadyExists("is already taken by the industry 'Energy' (names are compared as they print: ignoring case, compatibility forms and characters that do not show)", field: "name")) {
            try fixture.store.renameIndustry(name: "Software", to: "energy")
        }
        #expect(throws: StoreError.notFound("no industry is named 'Mining'", field: "name")) {
            try fixture.store.renameIndustry(name: "Mining", to: "Ore")
        }
        #expect(throws: StoreError.failedPrecondition("2 customers are in the industry 'Software': "
            + "delete it with force=true to clear it on them", field: "force")) {
            try fixture.store.deleteIndustry(name: "software", force: false)
        }
        #expect(try fixture.store.deleteIndustry(name: "software", force: true) == 2)
        #expect(try ids.map { try fixture.store.customer(id: $0).industry } == [nil, nil])
        #expect(try fixture.store.industries().map(\.name) == ["Energy"])
        #expect(try fixture.store.deleteIndustry(name: "Energy", force: false) == 0)
    }
}

@Suite struct IndustryMigrationTests {
    /// A version-3 database with free-text industries: after the upgrade every distinct text is an
    /// entry of the list (spellings equal ignoring case merged, the first one kept) and every
    /// customer reads the same industry as before.
    @Test func freeTextIndustriesBecomeTheList() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        var old = StoreOptions()
        old.migrateUpTo = 3
        let texts: [String?] = ["Retail", "IT", "retail", nil, "Shipping", "IT"]
        do {
            let store = try CustomerStore(path: path, options: old)
            // Version-3 SQL: today's addUser reads permission profiles, a later migration.
            let adminID: Int64 = 1
            try store.write { connection in
                try connection.run("INSERT INTO users (id, uid, name, is_administrator, created_at) VALUES (1, 7, 'dora', 1, 1000)")
                for (index, text) in texts.enumerated() {
                    let number = Int64(10_001 + index)
                    try connection.run("""
                        INSERT INTO customers (number, name, name_key, search_text, industry, created_at, created_by,
                            updated_at, updated_by)
                        VALUES (?, ?, ?, ?, ?, 1000, ?, 1000, ?)
                        """, [.integer(number), .text("C\(index)"), .text("c\(index)"), .text("c\(index) \(number)"),
                              SQLValue(text), .integer(adminID), .integer(adminID)])
                }
            }
            store.close()
        }

        let upgraded = try CustomerStore(path: path)
        #expect(upgraded.appliedMigrations == Array(4...Migrations.latestVersion))
        #expect(try upgraded.industries().map { "\($0.name)=\($0.customerCount)" } == ["IT=2", "Retail=2", "Shipping=1"])
        let read = try texts.indices.map { try upgraded.customer(number: Int64(10_001 + $0)).industry }
        #expect(read == ["Retail", "IT", "Retail", nil, "Shipping", "IT"])
        // The free-text column is gone: the list is the only place the name lives.
        let columns = try upgraded.write { connection in
            try connection.withStatement("SELECT name FROM pragma_table_info('customers')") { statement in
                var names: [String] = []
                while try statement.step() { names.append(statement.text(0)) }
                return names
            }
        }
        #expect(columns.contains("industry_id") && !columns.contains("industry"))
        upgraded.close()
    }
}
