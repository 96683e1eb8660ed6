import Foundation
import Testing
@testable import CustomerStore

/// Every rule of `CustomerValidator`, through the public API, checking the field named and that
/// nothing was written.
@Suite struct ValidationTests {
    /// One invalid input and the one field it must be reported on.
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let customer: NewCustomer
        let field: String
        var testDescription: String { label }
    }

    static let invalidCases: [Case] = [
        Case(label: "blank name", customer: NewCustomer(name: "   "), field: "name"),
        Case(label: "name over 200", customer: NewCustomer(name: String(repeating: "x", count: 201)), field: "name"),
        Case(label: "number zero", customer: NewCustomer(number: 0, name: "A"), field: "number"),
        Case(label: "unknown account manager", customer: NewCustomer(name: "A", accountManagerID: 999), field: "accountManager"),
        Case(label: "description over 4000",
             customer: NewCustomer(name: "A", description: String(repeating: "d", count: 4_001)), field: "description"),
        Case(label: "VAT with symbols", customer: NewCustomer(name: "A", vatNumber: "FI#123456"), field: "vatNumber"),
        Case(label: "VAT too short", customer: NewCustomer(name: "A", vatNumber: "F-1.2"), field: "vatNumber"),
        Case(label: "VAT too long", customer: NewCustomer(name: "A", vatNumber: String(repeating: "1", count: 21)), field: "vatNumber"),
        Case(label: "country not assigned", customer: NewCustomer(name: "A", country: "XK"), field: "country"),
        Case(label: "country three letters", customer: NewCustomer(name: "A", country: "FIN"), field: "country"),
        Case(label: "industry over 100",
             customer: NewCustomer(name: "A", industry: String(repeating: "i", count: 101)), field: "industry"),
        Case(label: "email without @", customer: NewCustomer(name: "A", email: "info.example.com"), field: "email"),
        Case(label: "email two @", customer: NewCustomer(name: "A", email: "a@b@example.com"), field: "email"),
        Case(label: "email empty local", customer: NewCustomer(name: "A", email: "@example.com"), field: "email"),
        Case(label: "email domain without dot", customer: NewCustomer(name: "A", email: "info@localhost"), field: "email"),
        Case(label: "email with space", customer: NewCustomer(name: "A", email: "in fo@example.com"), field: "email"),
        Case(label: "email empty domain label", customer: NewCustomer(name: "A", email: "a@example..com"), field: "email"),
        Case(label: "email domain ends with a dot", customer: NewCustomer(name: "A", email: "a@example.com."), field: "email"),
        Case(label: "email domain starts with a dot", customer: NewCustomer(name: "A", email: "a@.example.com"), field: "email"),
        Case(label: "email with no-break space", customer: NewCustomer(name: "A", email: "a\u{00A0}b@example.com"), field: "email"),
        Case(label: "email over 254",
             customer: NewCustomer(name: "A", email: String(repeating: "a", count: 250) + "@ex.com"), field: "email"),
        Case(label: "website ftp", customer: NewCustomer(name: "A", website: "ftp://example.com"), field: "website"),
        Case(label: "website no host", customer: NewCustomer(name: "A", website: "https://"), field: "website"),
        Case(label: "website with space", customer: NewCustomer(name: "A", website: "exa mple.com"), field: "website"),
        Case(label: "phone with letters", customer: NewCustomer(name: "A", phone: "+358 40 CALL ME"), field: "phone"),
        Case(label: "phone plus inside", customer: NewCustomer(name: "A", phone: "040+1234567"), field: "phone"),
        Case(label: "phone too few digits", customer: NewCustomer(name: "A", phone: "12-34"), field: "phone"),
        Case(label: "phone too many digits", customer: NewCustomer(name: "A", phone: "+1 234 567 890 123 456 789 01"), field: "phone"),
    ]

    @Test(arguments: invalidCases)
    func invalidFieldIsNamedAndNothingWritten(_ testCase: Case) throws {
        let fixture = try Fixture()
        let found = violations { _ = try fixture.store.createCustomer(testCase.customer, by: .user(fixture.admin.id)) }
        #expect(found?.map(\.field) == [testCase.field])
        #expect(try allPages(fixture.store, CustomerFilter(status: .all)).isEmpty)
    }

    @Test func allViolationsAreReportedAtOnce() throws {
        let fixture = try Fixture()
        let bad = NewCustomer(number: -1, name: "", accountManagerID: 999, description: String(repeating: "d", count: 4_001),
                              vatNumber: "??", country: "ZZ", industry: String(repeating: "i", count: 101),
                              email: "nope", website: "gopher://x", phone: "abc")
        let found = violations { _ = try fixture.store.createCustomer(bad, by: .user(fixture.admin.id)) }
        #expect(Set(found?.map(\.field) ?? []) == ["number", "name", "accountManager", "description", "vatNumber",
                                                   "country", "industry", "email", "website", "phone"])
        // Messages never echo the rejected values.
        #expect(found?.contains { $0.reason.contains("nope") || $0.reason.contains("gopher") } == false)
    }

    @Test func validInputIsNormalised() throws {
        let fixture = try Fixture()
        _ = try fixture.store.createIndustry(name: "Telecom")
        let customer = try fixture.store.createCustomer(NewCustomer(
            name: "  Nokia Oyj \n", accountManagerID: fixture.other.id, description: " Phones ",
            vatNumber: "fi 0112-0389.", country: " fi", industry: "Telecom", email: " info@nokia.com ",
            website: "nokia.com", phone: "+358 (10) 44-88.000"), by: .user(fixture.admin.id))
        #expect(customer.name == "Nokia Oyj")
        #expect(customer.accountManager == fixture.other.ref)
        #expect(customer.description == "Phones")
        #expect(customer.vatNumber == "FI01120389")
        #expect(customer.country == "FI")
        #expect(customer.email == "info@nokia.com")
        #expect(customer.website == "https://nokia.com")
        #expect(customer.phone == "+358 (10) 44-88.000")
        #expect(try fixture.store.createCustomer(NewCustomer(name: "B", website: "HTTP://Example.org/x"),
                                                 by: .user(fixture.admin.id)).website == "HTTP://Example.org/x")
    }

    /// ASCII text is trimmed and checked byte by byte, other text character by character: both
    /// must come to the same (issue 17 made the ASCII path fast).
    @Test func unicodeWhitespaceIsTrimmedAndNonASCIIAddressesFollowTheSameRules() throws {
        let fixture = try Fixture()
        let customer = try fixture.store.createCustomer(NewCustomer(
            name: "\u{00A0}\u{2003}Nokia Oyj\t", email: "\u{3000}jää@esimerkki.fi\u{00A0}"), by: .user(fixture.admin.id))
        #expect(customer.name == "Nokia Oyj")
        #expect(customer.email == "jää@esimerkki.fi")
        for address in ["ä@example..com", "ä@example.com.", "@esimerkki.fi", "jää@@esimerkki.fi", "jää@localhost"] {
            #expect(CustomerValidator.email(address) != .success(address), "\(address)")
        }
        for address in ["a@b.fi", "first.last@sub.example.com", "jää@esimerkki.fi", "a@b.c\u{301}"] {
            #expect(CustomerValidator.email(address) == .success(address), "\(address)")
        }
    }

    @Test func blankOptionalFieldsOnCreateAreNotStored() throws {
        let fixture = try Fixture()
        let customer = try fixture.store.createCustomer(NewCustomer(name: "A", description: " ", vatNumber: "",
                                                                    email: "  "), by: .user(fixture.admin.id))
        #expect(customer.description == nil && customer.vatNumber == nil && customer.email == nil)
    }

    @Test func everyAssignedCountryCodeIsAccepted() {
        #expect(CountryCodes.assigned.count == 249)
        for code in ["FI", "NO", "SE", "NL", "AX", "SS", "BQ", "CW", "SX", "AQ"] {
            #expect(CustomerValidator.country(code.lowercased()) == .success(code))
        }
        for code in ["EU", "UK", "XK", "ZZ", "AN", "YU", "F1"] {
            #expect(CustomerValidator.country(code) != .success(code))
        }
    }

    @Test func updateReportsInvalidFieldsAndChangesNothing() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Valid Oy", email: "a@valid.fi")
        let changes = CustomerChanges(name: " ", accountManagerID: .some(12345), email: "broken")
        let found = violations {
            _ = try fixture.store.updateCustomer(id: customer.id, changes, expectedVersion: nil, by: .user(fixture.admin.id))
        }
        #expect(Set(found?.map(\.field) ?? []) == ["name", "accountManager", "email"])
        #expect(try fixture.store.customer(id: customer.id) == customer)
    }
}
