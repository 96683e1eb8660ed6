import Foundation
import Testing
@testable import CustomerStore

@Suite struct MailingListTests {
    /// 100 customers with 100 contacts each (10 000 contacts). Contact j of every customer carries
    /// the keyword when j is even and the role when j % 3 == 0; contacts with j % 10 == 1 are
    /// deactivated, and every customer whose index is a multiple of 7 is deactivated.
    private static func seed() throws -> (Fixture, [StoredCustomer]) {
        let fixture = try Fixture()
        _ = try fixture.store.createLabel(.keyword, name: "newsletter")
        _ = try fixture.store.createLabel(.role, name: "buyer")
        let ids = try fixture.store.createCustomers((0..<100).map {
            NewCustomer(name: "Customer \(String(format: "%03d", 99 - $0))", email: "c\($0)@example.com")
        }, by: .user(fixture.admin.id))
        // One raw transaction seeds the contacts quickly; the API is tested by the other suites.
        try fixture.store.write { connection in
            for (index, customerID) in ids.enumerated() {
                for j in 0..<100 {
                    try connection.run("""
                        INSERT INTO contacts (customer_id, first_name, last_name, email, active, created_at, created_by,
                            updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 0, ?, 0, ?)
                        """, [.integer(customerID), .text("F\(j)"), .text("L\(index)"), .text("p\(index)-\(j)@example.com"),
                              .integer(j % 10 == 1 ? 0 : 1), .integer(fixture.admin.id), .integer(fixture.admin.id)])
                    let contactID = connection.lastInsertRowID
                    for (label, applies) in [(1, j % 2 == 0), (2, j % 3 == 0)] where applies {
                        try connection.run("""
                            INSERT INTO contact_labels (contact_id, label_id)
                            SELECT ?, id FROM labels WHERE kind = ?
                            """, [.integer(contactID), .text(label == 1 ? "keyword" : "role")])
                    }
                }
                if index % 7 == 0 {
                    try connection.run("UPDATE customers SET active = 0 WHERE id = ?", [.integer(customerID)])
                }
            }
        }
        return (fixture, try ids.map { try fixture.store.customer(id: $0) })
    }

    /// The contact ids the list must hold, in order: contacts were inserted customer by customer
    /// into an empty table, so contact j of customer `index` has id index * 100 + j + 1.
    private static func expected(_ customers: [StoredCustomer], _ predicate: (Int) -> Bool) -> [Int64] {
        customers.enumerated()
            .filter { $0.offset % 7 != 0 }
            .sorted { $0.element.name < $1.element.name }
            .flatMap { index, _ in
                (0..<100).filter { $0 % 10 != 1 && predicate($0) }.map { Int64(index * 100 + $0 + 1) }
            }
    }

    @Test func filtersByKeywordRoleOrBothOverTenThousandContacts() throws {
        let (fixture, customers) = try Self.seed()
        for (keyword, role, predicate) in [
            ("newsletter", nil, { (j: Int) in j % 2 == 0 }),
            (nil, "BUYER", { (j: Int) in j % 3 == 0 }),
            ("Newsletter", "buyer", { (j: Int) in j % 6 == 0 }),
        ] as [(String?, String?, (Int) -> Bool)] {
            var entries: [StoredMailingListEntry] = []
            try fixture.store.mailingList(keyword: keyword, role: role, osUser: nil) { entries.append($0) }
            #expect(entries.map(\.contactID) == Self.expected(customers, predicate), "keyword \(keyword ?? "-") role \(role ?? "-")")
            #expect(entries.count > CustomerStore.streamBatchSize)  // so several batches were read
            let first = try #require(entries.first)
            let owner = try #require(customers.first { $0.id == first.customerID })
            #expect(first.customerName == owner.name && first.customerEmail == owner.email)
            #expect(first.email == "p\(customers.firstIndex(of: owner) ?? -1)-0@example.com")
        }
    }

    @Test func needsAKnownKeywordOrRole() throws {
        let fixture = try Fixture()
        _ = try fixture.store.createLabel(.keyword, name: "known")
        #expect(violations { try fixture.store.mailingList(keyword: nil, role: " ", osUser: nil) { _ in } }?.map(\.field) == ["keyword", "role"])
        #expect(violations { try fixture.store.mailingList(keyword: "known", role: "ghost", osUser: nil) { _ in } }?.map(\.field) == ["role"])
        var count = 0
        try fixture.store.mailingList(keyword: "known", role: nil, osUser: nil) { _ in count += 1 }
        #expect(count == 0)
    }
}
