import Foundation
import Testing
@testable import CustomerStore

@Suite struct CustomerSettingsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let changes: CustomerSettingsChanges
        let fields: [String]
        var testDescription: String { label }
    }

    /// Each rule once, applied to a customer without settings, with the fields it must be reported on.
    static let invalidCases: [Case] = [
        Case(label: "invoice email malformed", changes: .init(invoiceEmail: "billing.example.com"), fields: ["invoiceEmail"]),
        Case(label: "email channel without email", changes: .init(invoiceChannel: .email), fields: ["invoiceEmail"]),
        Case(label: "email channel with invalid email", changes: .init(invoiceChannel: .email, invoiceEmail: "x@y"),
             fields: ["invoiceEmail"]),
        Case(label: "e-invoice channel without address and operator", changes: .init(invoiceChannel: .eInvoice),
             fields: ["eInvoiceAddress", "eInvoiceOperator"]),
        Case(label: "OVT too short", changes: .init(eInvoiceAddress: "00371234567"), fields: ["eInvoiceAddress"]),
        Case(label: "OVT too long", changes: .init(eInvoiceAddress: "003712345678901234"), fields: ["eInvoiceAddress"]),
        Case(label: "OVT with symbols", changes: .init(eInvoiceAddress: "0037123456#78"), fields: ["eInvoiceAddress"]),
        Case(label: "operator too long", changes: .init(eInvoiceOperator: String(repeating: "O", count: 36)),
             fields: ["eInvoiceOperator"]),
        Case(label: "payment term over a year", changes: .init(paymentTermDays: .some(366)), fields: ["paymentTermDays"]),
        Case(label: "payment term negative", changes: .init(paymentTermDays: .some(-1)), fields: ["paymentTermDays"]),
        Case(label: "currency four letters", changes: .init(currency: "EURO"), fields: ["currency"]),
        Case(label: "currency unassigned", changes: .init(currency: "ZZZ"), fields: ["currency"]),
        Case(label: "currency a metal", changes: .init(currency: "XAU"), fields: ["currency"]),
        Case(label: "VAT rate over 100", changes: .init(vatRate: "100.01"), fields: ["vatRate"]),
        Case(label: "VAT rate negative", changes: .init(vatRate: "-1"), fields: ["vatRate"]),
        Case(label: "VAT rate five decimals", changes: .init(vatRate: "12.34567"), fields: ["vatRate"]),
        Case(label: "VAT rate exponent", changes: .init(vatRate: "1e2"), fields: ["vatRate"]),
        Case(label: "VAT rate two separators", changes: .init(vatRate: "1.2.3"), fields: ["vatRate"]),
        Case(label: "VAT rate only a dot", changes: .init(vatRate: "."), fields: ["vatRate"]),
        Case(label: "language one letter", changes: .init(invoiceLanguage: "f"), fields: ["invoiceLanguage"]),
        Case(label: "language four letters", changes: .init(invoiceLanguage: "finn"), fields: ["invoiceLanguage"]),
        Case(label: "language with a digit", changes: .init(invoiceLanguage: "f1"), fields: ["invoiceLanguage"]),
        Case(label: "reference over 70", changes: .init(reference: String(repeating: "r", count: 71)), fields: ["reference"]),
        Case(label: "template over 100", changes: .init(invoiceTemplate: String(repeating: "t", count: 101)),
             fields: ["invoiceTemplate"]),
    ]

    @Test(arguments: invalidCases)
    func invalidSettingIsNamedAndNothingWritten(_ testCase: Case) throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Settings Oy")
        let found = violations {
            _ = try fixture.store.updateCustomerSettings(customerID: customer.id, testCase.changes, expectedVersion: nil,
                                                         by: .user(fixture.admin.id))
        }
        #expect(found?.map(\.field) == testCase.fields)
        #expect(try fixture.store.customerSettings(customerID: customer.id) == StoredCustomerSettings(customerID: customer.id))
    }

    @Test func aCustomerWithoutSettingsGetsTheDefaults() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Plain Oy")
        let settings = try fixture.store.customerSettings(customerID: customer.id)
        #expect(settings == StoredCustomerSettings(customerID: customer.id))
        #expect(settings.version == 0 && settings.updatedAt == nil)
        #expect(settings.effectiveInvoiceChannel == .paper && settings.effectivePaymentTermDays == 14
                && settings.effectiveCurrency == "EUR")
        #expect(throws: StoreError.notFound("customer 99 does not exist", field: "customerId")) {
            try fixture.store.customerSettings(customerID: 99)
        }
    }

    @Test func settingsAreNormalisedAndUpdatedPartially() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Invoiced Oy")
        let first = try fixture.store.updateCustomerSettings(customerID: customer.id, CustomerSettingsChanges(
            invoiceChannel: .eInvoice, eInvoiceAddress: " 0037-1234 5678 ", eInvoiceOperator: "E204503",
            paymentTermDays: .some(30), currency: "eur", vatRate: "025,50", invoiceLanguage: "FI", reference: " PO 42 ",
            invoiceTemplate: "Standard"), expectedVersion: 0, by: .user(fixture.admin.id))
        let expected = StoredCustomerSettings(
            customerID: customer.id, invoiceChannel: .eInvoice, eInvoiceAddress: "003712345678",
            eInvoiceOperator: "E204503", paymentTermDays: 30, currency: "EUR", vatRate: Decimal(string: "25.5"),
            invoiceLanguage: "fi", reference: "PO 42", invoiceTemplate: "Standard", version: 1,
            updatedAt: fixture.clock.now, updatedBy: fixture.admin.ref)
        #expect(first == expected)
        #expect(try fixture.store.customerSettings(customerID: customer.id) == expected)

        fixture.clock.advance(milliseconds: 1_000)
        let second = try fixture.store.updateCustomerSettings(
            customerID: customer.id, CustomerSettingsChanges(paymentTermDays: .some(nil), currency: "sek", vatRate: "100",
                                                             reference: ""),
            expectedVersion: 1, by: .user(fixture.other.id))
        var partly = expected
        partly.paymentTermDays = nil
        partly.currency = "SEK"
        partly.vatRate = 100
        partly.reference = nil
        partly.version = 2
        partly.updatedAt = fixture.clock.now
        partly.updatedBy = fixture.other.ref
        #expect(second == partly)

        // Switching to email needs an email; given together it is accepted, and the e-invoice data may stay.
        #expect(violations {
            _ = try fixture.store.updateCustomerSettings(customerID: customer.id, .init(invoiceChannel: .email),
                                                         expectedVersion: nil, by: .user(fixture.admin.id))
        }?.map(\.field) == ["invoiceEmail"])
        let email = try fixture.store.updateCustomerSettings(
            customerID: customer.id, .init(invoiceChannel: .email, invoiceEmail: "ap@invoiced.fi", vatRate: "0.0"),
            expectedVersion: 2, by: .user(fixture.admin.id))
        #expect(email.invoiceChannel == .email && email.invoiceEmail == "ap@invoiced.fi" && email.vatRate == 0)
        #expect(email.eInvoiceAddress == "003712345678" && email.version == 3)
    }

    @Test func staleVersionIsAbortedAndChangesAreInTheCustomersHistory() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("History Oy")
        #expect(throws: StoreError.aborted("the settings record of customer \(customer.id) was changed by someone else: "
                                           + "expected version 1, current version is 0; read it again and retry",
                                           field: "expectedVersion")) {
            try fixture.store.updateCustomerSettings(customerID: customer.id, .init(currency: "EUR"), expectedVersion: 1,
                                                     by: .user(fixture.admin.id))
        }
        _ = try fixture.store.updateCustomerSettings(customerID: customer.id, .init(paymentTermDays: .some(21), currency: "NOK"),
                                                     expectedVersion: 0, by: .user(fixture.other.id))
        // Re-sending the same values records nothing new.
        _ = try fixture.store.updateCustomerSettings(customerID: customer.id, .init(currency: "nok"), expectedVersion: 1,
                                                     by: .user(fixture.other.id))
        let entries = try fixture.store.history(.customer, id: customer.id)
        #expect(entries.map(\.action) == ["created", "updated"])
        #expect(entries.last?.changes == [StoredFieldChange(field: "settings.paymentTermDays", oldValue: nil, newValue: "21"),
                                          StoredFieldChange(field: "settings.currency", oldValue: nil, newValue: "NOK")])
        #expect(entries.last?.by == fixture.other.ref)
    }

    @Test func settingsGoWithTheirCustomer() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Gone Oy")
        _ = try fixture.store.updateCustomerSettings(customerID: customer.id, .init(currency: "EUR"), expectedVersion: nil,
                                                     by: .user(fixture.admin.id))
        try fixture.store.deleteCustomer(id: customer.id, by: .user(fixture.admin.id))
        #expect(try fixture.rawCount("SELECT count(*) FROM customer_settings") == 0)
    }
}
