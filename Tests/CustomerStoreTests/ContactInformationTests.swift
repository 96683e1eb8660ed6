import Foundation
import Testing
@testable import CustomerStore

@Suite struct ContactInformationTests {
    @Test func theTabIsOneConsistentSnapshotOfEverything() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Card Oy")
        _ = try store.createLabel(.keyword, name: "vip")
        _ = try store.createLabel(.role, name: "owner")
        let head = try store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        let billing = try store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI", kind: .billing),
                                           by: .user(fixture.admin.id))
        let contacts = try (0..<50).map { index in
            try store.createContact(customerID: customer.id, StoredContactFields(lastName: String(format: "Person %02d", index)),
                                    keywords: index % 2 == 0 ? ["vip"] : [], roles: index % 5 == 0 ? ["owner"] : [],
                                    by: .user(fixture.admin.id))
        }
        _ = try store.setContactActive(id: contacts[49].id, false, expectedVersion: nil, by: .user(fixture.admin.id))
        for index in 0..<500 {
            if index % 2 == 0 {
                _ = try store.addNote(customerID: customer.id, text: "Note \(index)", contactID: contacts[index % 49].id,
                                      by: .user(fixture.admin.id))
            } else {
                _ = try store.addTask(customerID: customer.id, subject: "Task \(index)", dueAt: nil, assigneeID: nil,
                                      contactID: nil, by: .user(fixture.admin.id))
            }
        }

        let card = try store.contactInformation(customerID: customer.id, now: fixture.clock.now)
        #expect(try store.customer(id: customer.id).headOffice == head)
        #expect(card.addresses == [head, billing])
        #expect(card.contacts == (try store.contacts(customerID: customer.id, includeDeactivated: false)))
        #expect(card.contacts.count == 49)
        #expect(card.contacts[0].keywords == ["vip"] && card.contacts[0].roles == ["owner"])
        #expect(card.contacts[1].keywords == [] && card.contacts[1].roles == [])
        #expect(card.activities == (try store.activities(customerID: customer.id, now: fixture.clock.now)))
        #expect(card.activities.planned.count == 250 && card.activities.done.count == 250)
        #expect(throws: StoreError.notFound("customer 999 does not exist", field: "customerId")) {
            try store.contactInformation(customerID: 999, now: fixture.clock.now)
        }
    }

    /// The tab takes the head office from the customer's own read and reads the other addresses
    /// without it: the list is still the one `addresses(customerID:)` gives, whichever address is
    /// the head office, and a customer without one lists none.
    @Test func theAddressesAreTheHeadOfficeThenTheRestByIDWhicheverItIs() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Offices Oy")
        let bare = try fixture.create("Bare Oy")
        #expect(try store.contactInformation(customerID: bare.id, now: fixture.clock.now).addresses == [])
        let addresses = try (["Street 1", "Street 2", "Street 3", "Street 4"]).map { street in
            try store.addAddress(customerID: customer.id, StoredAddressFields(street1: street, country: "FI"),
                                 by: .user(fixture.admin.id))
        }
        var tab = try store.contactInformation(customerID: customer.id, now: fixture.clock.now)
        #expect(tab.addresses.map(\.id) == addresses.map(\.id))
        #expect(tab.addresses.map(\.isHeadOffice) == [true, false, false, false])
        #expect(tab.addresses == (try store.addresses(customerID: customer.id)))

        _ = try store.setHeadOffice(addressID: addresses[2].id, by: .user(fixture.admin.id))
        tab = try store.contactInformation(customerID: customer.id, now: fixture.clock.now)
        #expect(tab.addresses.map(\.id) == [addresses[2].id, addresses[0].id, addresses[1].id, addresses[3].id])
        #expect(tab.addresses.map(\.isHeadOffice) == [true, false, false, false])
        #expect(tab.addresses == (try store.addresses(customerID: customer.id)))
        #expect(tab.addresses.first == (try store.customer(id: customer.id).headOffice))

        _ = try store.removeAddress(id: addresses[0].id, by: .user(fixture.admin.id))
        tab = try store.contactInformation(customerID: customer.id, now: fixture.clock.now)
        #expect(tab.addresses.map(\.id) == [addresses[2].id, addresses[1].id, addresses[3].id])
        #expect(tab.addresses == (try store.addresses(customerID: customer.id)))
    }
}
