import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Each history entry of a customer records the manager it had as the change was made
/// (`history.manager_id`, `HistoryLog.Manager`), on every writer path, so that an own-scope
/// change feed keeps what was recorded while a customer was the watcher's and nothing after.
@Suite struct HistoryManagerTests {
    /// The (entity, action, manager) of every entry of `customerID`, in order.
    static func managers(_ store: CustomerStore, customerID: Int64) throws -> [String] {
        try store.read { connection in
            try connection.withStatement("SELECT entity, action, manager_id FROM history WHERE customer_id = ? ORDER BY id") {
                statement in
                try statement.bind(customerID, at: 1)
                var rows: [String] = []
                while try statement.step() {
                    rows.append("\(statement.text(0)) \(statement.text(1)) \(statement.optionalInt64(2).map(String.init) ?? "-")")
                }
                return rows
            }
        }
    }

    @Test func createsImportsEditsHandOffsErasuresAndMergesRecordTheManagerTheCustomerHad() throws {
        let fixture = try Fixture()
        let store = fixture.store, admin = Author.user(fixture.admin.id)
        let bob = fixture.other.id, carol = try store.addUser(uid: 1002, name: "carol").id
        let bobs = "\(bob)", carols = "\(carol)"

        let created = try store.createCustomer(NewCustomer(name: "Created Oy", accountManagerID: bob), by: admin)
        _ = try store.addAddress(customerID: created.id, StoredAddressFields(city: "Espoo", country: "FI"), by: admin)
        _ = try store.updateCustomer(id: created.id, CustomerChanges(accountManagerID: .some(carol)), expectedVersion: nil, by: admin)
        _ = try store.updateCustomer(id: created.id, CustomerChanges(name: "Renamed Oy"), expectedVersion: nil, by: admin)
        #expect(try Self.managers(store, customerID: created.id) == [
            "customer created \(bobs)", "address created \(bobs)", "customer headOfficeSet \(bobs)",
            "customer updated \(bobs)", "customer updated \(carols)",
        ])

        var rows = [[CustomerImportRow(line: 2, customer: NewCustomer(name: "Imported Oy", accountManagerID: bob),
                                       address: StoredAddressFields(city: "Turku", country: "FI"),
                                       contact: StoredContactFields(lastName: "Imported"))]][...]
        _ = try store.importCustomers(mode: .allOrNothing, allowDuplicateVAT: false, by: admin) { rows.popFirst() }
        let imported = try #require(try store.listCustomers(CustomerFilter(status: .all, accountManagerID: bob), order: .byName,
                                                            limit: 10, pageToken: nil).customers.first { $0.name == "Imported Oy" })
        #expect(try Self.managers(store, customerID: imported.id) == [
            "customer created \(bobs)", "address created \(bobs)", "customer headOfficeSet \(bobs)", "contact created \(bobs)",
        ])

        // Erased with a record left (its row stays, its manager cleared) and without (its row goes).
        let kept = try store.createCustomer(NewCustomer(name: "Noted Oy", accountManagerID: bob), by: admin)
        _ = try store.addNote(customerID: kept.id, text: "Stays", contactID: nil, by: admin)
        try store.deleteCustomer(id: kept.id, by: admin)
        #expect(try Self.managers(store, customerID: kept.id).last == "customer deleted \(bobs)")
        let gone = try store.createCustomer(NewCustomer(name: "Gone Oy", accountManagerID: bob), by: admin)
        try store.deleteCustomer(id: gone.id, by: admin)
        #expect(try Self.managers(store, customerID: gone.id) == ["customer created \(bobs)", "customer deleted \(bobs)"])

        let absorbed = try store.createCustomer(NewCustomer(name: "Absorbed Oy", accountManagerID: bob), by: admin)
        _ = try store.addAddress(customerID: absorbed.id, StoredAddressFields(city: "Oulu", country: "FI"), by: admin)
        _ = try store.mergeCustomers(keep: created.id, absorb: absorbed.id, dryRun: false, by: admin)
        #expect(try Self.managers(store, customerID: absorbed.id).last == "customer merged \(bobs)")
        // The moved address's entry and the kept customer's merged entry are the kept customer's: carol's.
        #expect(try Self.managers(store, customerID: created.id).suffix(2) == ["address updated \(carols)", "customer merged \(carols)"])

        // Bob's feed: everything recorded while each was his, nothing after.
        let bobsFeed = try store.changes(after: 0, filter: ChangeFeedFilter(accountManagerID: bob), limit: 1_000).entries
        #expect(!bobsFeed.contains { $0.customerID == created.id && $0.changes.contains { $0.newValue == "Renamed Oy" } })
        #expect(bobsFeed.filter { $0.customerID == gone.id }.map(\.action) == ["created", "deleted"])
        #expect(bobsFeed.filter { $0.customerID == absorbed.id }.map(\.action) == ["created", "created", "headOfficeSet", "merged"])
    }

    /// The feed's own-scope filter stays a walk of the entries' window by id, with the customer
    /// found by its key: no scan of the customers, however many there are.
    @Test func theOwnScopeFilterReadsTheWindowByIdAndTheCustomerByKey() throws {
        let fixture = try Fixture()
        let plan = try fixture.store.read { connection in
            try connection.withStatement("""
                EXPLAIN QUERY PLAN SELECT h.id FROM history h WHERE h.id > ?1 AND h.id <= ?2
                AND (h.manager_id = ?3 OR EXISTS (SELECT 1 FROM customers c WHERE c.id = h.customer_id AND c.account_manager_id = ?3))
                """) { statement in
                var details: [String] = []
                while try statement.step() { details.append(try statement.text("detail")) }
                return details
            }
        }
        #expect(plan.contains { $0.contains("SEARCH h USING INTEGER PRIMARY KEY") }, "\(plan)")
        #expect(plan.contains { $0.contains("SEARCH c USING INTEGER PRIMARY KEY") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
    }
}
