import Foundation
import Testing
@testable import CustomerStore

@Suite struct InvoiceTests {
    @Test func anIssuedInvoiceKeepsWhatItSaidAfterTheContactIsDeletedAndTheAddressChanged() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Alpha Oy", vatNumber: "FI12345678")
        let head = try store.addAddress(customerID: customer.id, StoredAddressFields(street1: "Mannerheimintie 1",
                                                                               street2: "B 12", postalCode: "00100",
                                                                               city: "Helsinki", country: "FI"),
                                        by: .user(fixture.admin.id))
        let contact = try store.createContact(customerID: customer.id, StoredContactFields(firstName: "Aino", lastName: "Virtanen"),
                                              keywords: [], roles: [], by: .user(fixture.admin.id))
        let settings = #"{"channel":"eInvoice","paymentTermDays":14}"#
        let invoice = try store.issueInvoice(customerID: customer.id, contactID: contact.id,
                                             total: Decimal(string: "1234.50") ?? 0, currency: "eur",
                                             description: " Consulting, March ", settingsSnapshot: settings,
                                             by: .user(fixture.other.id))
        let expected = StoredInvoice(
            id: invoice.id, customerID: customer.id, number: 1, issuedAt: fixture.clock.now, issuedBy: fixture.other.ref,
            customerName: "Alpha Oy", customerNumber: customer.number, vatNumber: "FI12345678",
            headOffice: InvoiceAddress(street: ["Mannerheimintie 1", "B 12"], postalCode: "00100", city: "Helsinki",
                                       region: nil, country: "FI"),
            contactID: contact.id, contactName: "Aino Virtanen", settingsSnapshot: settings, currency: "EUR",
            total: Decimal(string: "1234.50") ?? 0, description: "Consulting, March")
        #expect(invoice == expected)

        // Everything the invoice copied changes or goes away afterwards.
        _ = try store.updateAddress(id: head.id, StoredAddressFields(street1: "Aleksanterinkatu 5", street2: "", city: "Espoo"),
                                    expectedVersion: nil, by: .user(fixture.admin.id))
        let second = try store.addAddress(customerID: customer.id, StoredAddressFields(city: "Oulu", country: "FI"),
                                          by: .user(fixture.admin.id))
        _ = try store.setHeadOffice(addressID: second.id, by: .user(fixture.admin.id))
        _ = try store.updateCustomer(id: customer.id, CustomerChanges(name: "Alpha Group Oy", vatNumber: ""),
                                     expectedVersion: nil, by: .user(fixture.admin.id))
        _ = try store.deleteContact(id: contact.id, by: .user(fixture.admin.id))

        #expect(try store.invoice(id: invoice.id) == expected)
        #expect(try store.invoices(customerID: customer.id) == [expected])
        #expect(try store.contact(id: contact.id).ref.deleted)
        #expect(throws: StoreError.deletedContact(contact.id, field: "contactId")) {
            try store.issueInvoice(customerID: customer.id, contactID: contact.id, total: 1, currency: "EUR",
                                   description: nil, settingsSnapshot: nil, by: .user(fixture.admin.id))
        }
        let next = try store.issueInvoice(customerID: customer.id, contactID: nil, total: -100, currency: "EUR",
                                          description: nil, settingsSnapshot: nil, by: .user(fixture.admin.id))
        #expect(next.number == 2 && next.contactName == nil && next.headOffice?.city == "Oulu" && next.total == -100)
        #expect(try store.invoices(customerID: customer.id).map(\.number) == [2, 1])
        #expect(ProjectTests.summary(try store.history(.invoice, id: invoice.id)) == ["issued"])
    }

    @Test func invalidInvoicesAreRefused() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Beta")
        let stranger = try store.createContact(customerID: (try fixture.create("Other")).id,
                                               StoredContactFields(lastName: "S"), keywords: [], roles: [], by: .user(fixture.admin.id))
        #expect(violations {
            _ = try store.issueInvoice(customerID: customer.id, contactID: stranger.id,
                                       total: Decimal(string: "0.12345") ?? 0, currency: "", description: nil,
                                       settingsSnapshot: "[1, 2]", by: .user(fixture.admin.id))
        }?.map(\.field) == ["total", "settings", "currency", "contactId"])
        let invoice = try store.issueInvoice(customerID: customer.id, contactID: nil, total: 0, currency: "SEK",
                                             description: nil, settingsSnapshot: nil, by: .user(fixture.admin.id))
        #expect(invoice.headOffice == nil && invoice.vatNumber == nil)
        #expect(throws: StoreError.notFound("customer 99 does not exist", field: "customerId")) {
            try store.issueInvoice(customerID: 99, contactID: nil, total: 1, currency: "EUR", description: nil,
                                   settingsSnapshot: nil, by: .user(fixture.admin.id))
        }
        #expect(throws: StoreError.notFound("invoice 99 does not exist")) { try store.invoice(id: 99) }
    }

    @Test func aCustomerWithProjectsOrInvoicesIsErasedAndItsInvoicesKeepTheirSnapshot() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Gamma")
        for index in 0..<3 {
            _ = try store.createProject(customerID: customer.id, StoredProjectFields(name: "P\(index)"), by: .user(fixture.admin.id))
        }
        let invoices = try (0..<2).map { _ in
            try store.issueInvoice(customerID: customer.id, contactID: nil, total: 10, currency: "EUR",
                                   description: nil, settingsSnapshot: nil, by: .user(fixture.admin.id))
        }
        try store.deleteCustomer(id: customer.id, by: .user(fixture.admin.id))
        #expect(try store.customer(id: customer.id).deleted)
        #expect(try store.invoices(customerID: customer.id).map(\.id).sorted() == invoices.map(\.id).sorted())
        #expect(try store.invoice(id: invoices[0].id).customerName == "Gamma")
        #expect(throws: StoreError.deletedCustomer(customer.id, field: "customerId")) {
            try store.issueInvoice(customerID: customer.id, contactID: nil, total: 10, currency: "EUR",
                                   description: nil, settingsSnapshot: nil, by: .user(fixture.admin.id))
        }
    }
}
