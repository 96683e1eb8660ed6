import Foundation
import Testing
@testable import CustomerStore

@Suite struct ProjectMigrationTests {
    /// A database of the contact-information schema (version 3) with data in every table is
    /// upgraded in place: rows, ids and history (with erased values) are kept, and the new
    /// features work on the old rows.
    @Test func version3DatabaseIsUpgradedKeepingItsData() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        let clock = TestClock()
        var old = Fixture.options(clock: clock)
        old.migrateUpTo = 3
        let admin: User
        let customerID: Int64 = 1
        let contact: Contact
        let task: Activity
        let historyBefore: [HistoryEntry]
        let contactHistoryBefore: [HistoryEntry]
        do {
            let store = try CustomerStore(path: path, options: old)
            admin = try store.addUser(uid: 7, name: "dora", isAdministrator: true)
            // Written with SQL of the version-3 schema: today's createCustomer writes columns a later
            // migration (industries) introduced.
            try store.write { connection in
                try connection.run("""
                    INSERT INTO customers (number, name, name_key, search_text, country, created_at, created_by,
                        updated_at, updated_by)
                    VALUES (10001, 'Legacy AB', 'legacy ab', 'legacy ab 10001', 'SE', 1000, ?, 1000, ?)
                    """, [.integer(admin.id), .integer(admin.id)])
            }
            _ = try store.addAddress(customerID: customerID, AddressFields(city: "Malmö", country: "SE"), by: admin.id)
            contact = try store.createContact(customerID: customerID, ContactFields(firstName: "Eva", lastName: "Berg"),
                                              keywords: [], roles: [], by: admin.id)
            _ = try store.updateContact(id: contact.id, ContactFields(title: "CEO"), expectedVersion: nil, by: admin.id)
            let erased = try store.createContact(customerID: customerID, ContactFields(lastName: "Gone"), keywords: [],
                                                 roles: [], by: admin.id)
            _ = try store.updateContact(id: erased.id, ContactFields(title: "CFO"), expectedVersion: nil, by: admin.id)
            _ = try store.deleteContact(id: erased.id, by: admin.id)
            task = try store.addTask(customerID: customerID, subject: "Call Eva", dueAt: nil, assigneeID: nil,
                                     contactID: contact.id, by: admin.id)
            historyBefore = try store.history(.customer, id: customerID)
            contactHistoryBefore = try store.history(.contact, id: erased.id)
            store.close()
        }

        let upgraded = try CustomerStore(path: path, options: Fixture.options(clock: clock))
        #expect(upgraded.appliedMigrations == Array(4...Migrations.latestVersion))
        #expect(try upgraded.history(.customer, id: customerID) == historyBefore)
        #expect(try upgraded.history(.contact, id: contactHistoryBefore[0].entityID) == contactHistoryBefore)
        #expect(contactHistoryBefore.contains { $0.changes.contains(where: \.erased) })
        #expect(try upgraded.activities(customerID: customerID, now: clock.now).planned == [task])
        #expect(try upgraded.contact(id: contact.id).title == "CEO")

        // The rebuilt history still cascades into its changes and still refuses unknown actions.
        let sale = try upgraded.createSalesCase(customerID: customerID, ProjectFields(name: "Deal"), by: admin.id)
        _ = try upgraded.winSalesCase(id: sale.id, by: admin.id)
        #expect(try upgraded.history(.project, id: sale.id).map(\.action) == ["created", "won"])
        #expect(storeError { try upgraded.write { try $0.run("""
            INSERT INTO history (entity, entity_id, customer_id, action, at, by_user) VALUES ('project', 1, 1, 'sold', 0, ?)
            """, [.integer(admin.id)]) } } != nil)
        let schema = try upgraded.write { connection in
            try connection.withStatement("SELECT sql FROM sqlite_master WHERE name = 'history_changes'") {
                try $0.step() ? $0.text(0) : ""
            }
        }
        #expect(schema.contains("REFERENCES \"history\"(id) ON DELETE CASCADE"))
        upgraded.close()
    }
}
