import Foundation
import Testing
@testable import CustomerStore

/// A record's id and a customer's number name one record forever (issue 12): a new record never
/// gets the id of a deleted one, so its history is its own.
@Suite struct RecordIdentityTests {
    @Test func aNewCustomerNeverGetsTheIdOrNumberOfTheDeletedNewestOne() throws {
        let fixture = try Fixture()
        let store = fixture.store
        _ = try fixture.create("Kept Oy")
        let deleted = try fixture.create("Deleted Oy")
        _ = try store.updateCustomer(id: deleted.id, CustomerChanges(description: "gone soon"), expectedVersion: nil,
                                     by: .user(fixture.admin.id))
        try store.deleteCustomer(id: deleted.id, by: .user(fixture.admin.id))

        let fresh = try fixture.create("Fresh Oy")
        #expect(fresh.id > deleted.id)
        #expect(fresh.number > deleted.number)
        #expect(try store.history(.customer, id: fresh.id).map(\.action) == ["created"])
        #expect(try store.history(.customer, id: deleted.id).map(\.action) == ["created", "updated", "deleted"])
    }

    @Test func aNewAddressNeverGetsTheIdOfTheRemovedNewestOne() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Addresses Oy")
        _ = try store.addAddress(customerID: customer.id, StoredAddressFields(city: "Oulu", country: "FI"),
                                 by: .user(fixture.admin.id))
        let removed = try store.addAddress(customerID: customer.id, StoredAddressFields(city: "Turku", country: "FI"),
                                           by: .user(fixture.admin.id))
        _ = try store.removeAddress(id: removed.id, by: .user(fixture.admin.id))

        let fresh = try store.addAddress(customerID: customer.id, StoredAddressFields(city: "Vaasa", country: "FI"),
                                         by: .user(fixture.admin.id))
        #expect(fresh.id > removed.id)
        #expect(try store.history(.address, id: fresh.id).map(\.action) == ["created"])
    }

    @Test func aNewFileNeverGetsTheIdOfTheRemovedNewestOne() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Files Oy")
        let removed = try fixture.upload(sampleBytes(10), name: "old.txt", customerID: customer.id)
        try fixture.store.removeFile(id: removed.id, by: .user(fixture.admin.id))

        let fresh = try fixture.upload(sampleBytes(10, seed: 2), name: "new.txt", customerID: customer.id)
        #expect(fresh.id > removed.id)
        // The customer's history names each file by id: the two must stay apart.
        let fileFields = try fixture.store.history(.customer, id: customer.id).flatMap(\.changes).map(\.field)
            .filter { $0.hasPrefix("files.") }
        #expect(fileFields == ["files.\(removed.id)", "files.\(removed.id)", "files.\(fresh.id)"])
    }

    /// `customer_search_data` and `customer_search_content` are FTS5's own stores of the search
    /// index (migration 29), `customer_search_state` its one row: their ids are the index's (a
    /// customer's id as FTS5 keeps it), never a record's.
    @Test func everyTableWithExposedIdsIsAutoincrement() throws {
        let fixture = try Fixture()
        let tables = try fixture.store.read { connection in
            try connection.withStatement("""
                SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%id INTEGER PRIMARY KEY%'
                  AND sql NOT LIKE '%AUTOINCREMENT%' AND name NOT IN ('customer_settings', 'business_id_backfill',
                    'customer_search_data', 'customer_search_content', 'customer_search_state')
                """) { statement in
                var names: [String] = []
                while try statement.step() { names.append(statement.text(0)) }
                return names
            }
        }
        #expect(tables == [])
    }
}
