import Foundation
import SQLiteEngine
import Testing
@testable import CustomerStore

/// A customer's contacts come in the order of the index `contacts_listed` (migration 21), which the
/// card's writer takes as it steps them: the order must stay the one SQLite's ORDER BY on the
/// table gives, NOCASE collation and all, for the records and for the rows the card is lent.
@Suite struct ContactOrderTests {
    /// Names that tell the collations apart: ASCII case folded, other letters not (Ä, Å, É sort by
    /// their bytes, after every ASCII letter), a prefix before a longer name, a missing last name
    /// sorted by the first name, equal names ordered by first name and then by id.
    static let names: [(first: String?, last: String?)] = [
        ("aino", "Virtanen"), ("Aino", "virtanen"), (nil, "Ärje"), ("Eero", nil), ("eero", nil), ("Zed", "ahonen"),
        ("Åsa", "Ahonen"), ("Bo", "Ahonenx"), ("bo", "Ahonen"), (nil, "äRJE"), ("Éa", nil), ("a", "A"), ("Mia", "Östman"),
        ("mia", "Ostman"), ("Al", "ZZ"), ("al", "zz"), ("A1", "x"), ("b", "Virtanen"),
    ]

    @Test func contactsAreListedInTheOrderSQLiteGaveThem() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Order Oy")
        // Created in reverse, so the ids run against the expected order where the names tie.
        for (first, last) in Self.names.reversed() {
            _ = try fixture.store.createContact(customerID: customer.id, StoredContactFields(firstName: first, lastName: last),
                                                keywords: [], roles: [], by: .user(fixture.admin.id))
        }
        let bySQLite: [Int64] = try fixture.store.write { connection in
            try connection.withStatement("""
                SELECT id FROM contacts WHERE customer_id = ?
                ORDER BY coalesce(last_name, first_name) COLLATE NOCASE, first_name COLLATE NOCASE, id
                """) { statement in
                try statement.bind(customer.id, at: 1)
                var ids: [Int64] = []
                while try statement.step() { ids.append(statement.int64(0)) }
                return ids
            }
        }
        let listed = try fixture.store.contacts(customerID: customer.id, includeDeactivated: false)
        #expect(bySQLite.count == Self.names.count)
        #expect(listed.map(\.id) == bySQLite)
        #expect(try fixture.store.contactInformation(customerID: customer.id, now: fixture.clock.now).contacts.map(\.id)
            == bySQLite)
        var lent: [Int64] = []
        let tabs = try fixture.store.cardTabs(customerID: customer.id, now: fixture.clock.now, tabs: AskedCardTabs([.contactInformation]),
                                              lendingCustomer: { _ in }, lendingContact: { lent.append(try $0.id) })
        #expect(lent == bySQLite)
        #expect(tabs.contactInformation?.contacts.isEmpty == true)
    }
}
