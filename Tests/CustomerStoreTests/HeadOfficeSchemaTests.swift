import Foundation
import Testing
@testable import CustomerStore

/// The head-office rule is the schema's, not only the code's: raw SQL cannot break it by an UPDATE
/// or a DELETE. (A new customer's INSERT names no head office by the store's rule since migration
/// 20 dropped the INSERT trigger: `NewCustomerHeadOfficeMigrationTests`.)
@Suite struct HeadOfficeSchemaTests {
    /// A customer with two addresses (the first is the head office) and a second customer with one.
    private struct Setup {
        let fixture: Fixture
        let customer: StoredCustomer
        let head: StoredAddress
        let other: StoredAddress
        let foreign: StoredAddress

        init() throws {
            fixture = try Fixture()
            customer = try fixture.create("Schema Oy")
            head = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
            other = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
            let second = try fixture.create("Elsewhere AB")
            foreign = try fixture.store.addAddress(customerID: second.id, StoredAddressFields(country: "SE"), by: .user(fixture.admin.id))
        }

        func headOffices() throws -> Int64 {
            try fixture.rawCount("""
                SELECT count(*) FROM addresses a JOIN customers c ON c.head_office_address_id = a.id WHERE a.customer_id = ?
                """, [.integer(customer.id)])
        }
    }

    @Test(arguments: [
        ("no head office", "UPDATE customers SET head_office_address_id = NULL WHERE id = $C"),
        ("another customer's address", "UPDATE customers SET head_office_address_id = $F WHERE id = $C"),
        ("delete the head office", "DELETE FROM addresses WHERE id = $H"),
        ("move the head office away", "UPDATE addresses SET customer_id = (SELECT customer_id FROM addresses WHERE id = $F) WHERE id = $H"),
        ("renumber the head office", "UPDATE addresses SET id = 9999 WHERE id = $H"),
    ])
    func rawSQLThatBreaksTheRuleIsRefused(_ name: String, _ sql: String) throws {
        let setup = try Setup()
        let error = storeError {
            // The ids are test integers, spliced in so each statement binds nothing.
            try setup.fixture.rawWrite(sql.replacingOccurrences(of: "$C", with: "\(setup.customer.id)")
                .replacingOccurrences(of: "$H", with: "\(setup.head.id)")
                .replacingOccurrences(of: "$F", with: "\(setup.foreign.id)"))
        }
        guard case .brokenRule = error else {
            Issue.record("\(name): expected brokenRule, got \(String(describing: error))")
            return
        }
        #expect(try setup.headOffices() == 1)
        #expect(try setup.fixture.store.customer(id: setup.customer.id).headOffice == setup.head)
    }

    @Test func rawInsertOfAFirstAddressMakesItTheHeadOffice() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Raw")
        try fixture.rawWrite("""
            INSERT INTO addresses (customer_id, country, created_at, created_by, updated_at, updated_by)
            VALUES (?, 'FI', 0, ?, 0, ?)
            """, [.integer(customer.id), .integer(fixture.admin.id), .integer(fixture.admin.id)])
        #expect(try fixture.store.customer(id: customer.id).headOffice != nil)
    }

    @Test func twoHeadOfficesCannotBeExpressed() throws {
        let setup = try Setup()
        // The head office is one column of the customer; the only way to name the other address
        // is to replace the first, which leaves exactly one.
        try setup.fixture.rawWrite("UPDATE customers SET head_office_address_id = ? WHERE id = ?",
                                   [.integer(setup.other.id), .integer(setup.customer.id)])
        #expect(try setup.headOffices() == 1)
        #expect(try setup.fixture.store.addresses(customerID: setup.customer.id).map(\.isHeadOffice) == [true, false])
    }
}
