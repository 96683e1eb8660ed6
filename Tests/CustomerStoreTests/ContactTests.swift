import Foundation
import Testing
@testable import CustomerStore

@Suite struct ContactTests {
    @Test func createdContactIsNormalisedAndCarriesItsLabelsSorted() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Alpha Oy")
        for name in ["vip", "Newsletter"] { _ = try fixture.store.createLabel(.keyword, name: name) }
        _ = try fixture.store.createLabel(.role, name: "Decision maker")
        let contact = try fixture.store.createContact(customerID: customer.id, StoredContactFields(
            firstName: " Aino ", lastName: "Virtanen", title: "CEO", email: "aino@alpha.fi", phone: "+358 9 123 456",
            mobile: "040 123 4567", language: "FI_fi", notes: "Prefers mornings"),
            keywords: ["VIP", "newsletter"], roles: ["decision maker"], by: .user(fixture.other.id))
        #expect(contact.firstName == "Aino" && contact.language == "fi-FI")
        #expect(contact.keywords == ["Newsletter", "vip"] && contact.roles == ["Decision maker"])
        #expect(contact.active && !contact.deleted && contact.version == 1)
        #expect(contact.createdBy == fixture.other.ref && contact.updatedAt == fixture.clock.now)
        #expect(contact.ref == StoredContactRef(id: contact.id, name: "Aino Virtanen", deleted: false))
        #expect(try fixture.store.contact(id: contact.id) == contact)
    }

    @Test(arguments: [
        (StoredContactFields(), ["firstName", "lastName"]),
        (StoredContactFields(lastName: "Ok", email: "nope", phone: "12", mobile: "abc", language: "english"),
         ["email", "phone", "mobile", "language"]),
        (StoredContactFields(firstName: String(repeating: "x", count: 101), title: String(repeating: "t", count: 101),
                       notes: String(repeating: "n", count: 4_001)), ["firstName", "title", "notes"]),
    ])
    func invalidContactListsEveryField(fields: StoredContactFields, expected: [String]) throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Beta")
        #expect(violations {
            _ = try fixture.store.createContact(customerID: customer.id, fields, keywords: [], roles: [], by: .user(fixture.admin.id))
        }?.map(\.field) == expected)
        #expect(try fixture.store.contacts(customerID: customer.id, includeDeactivated: true) == [])
    }

    @Test func unknownLabelsAreNamedAndNothingIsWritten() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Gamma")
        let found = violations {
            _ = try fixture.store.createContact(customerID: customer.id, StoredContactFields(lastName: "Lee"),
                                                keywords: ["ghost"], roles: ["phantom"], by: .user(fixture.admin.id))
        }
        #expect(found?.map(\.field) == ["keywords", "roles"])
        #expect(found?.first?.reason.contains("'ghost'") == true)
        #expect(try fixture.store.contacts(customerID: customer.id, includeDeactivated: true) == [])
    }

    /// Each name is looked up inside the write transaction: tens of thousands of them are refused
    /// before the first lookup, by count, and nothing is written.
    @Test func tensOfThousandsOfKeywordsAreRefusedByCount() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Delta")
        _ = try fixture.store.createLabel(.role, name: "buyer")
        let keywords = (0..<50_000).map { "k\($0)" }
        let found = violations {
            _ = try fixture.store.createContact(customerID: customer.id, StoredContactFields(lastName: "Lee"),
                                                keywords: keywords, roles: ["buyer"], by: .user(fixture.admin.id))
        }
        #expect(found?.map(\.field) == ["keywords"])
        #expect(found?.first?.reason == "at most 1000 distinct names, got 50000")
        #expect(try fixture.store.contacts(customerID: customer.id, includeDeactivated: true) == [])
        // The same names repeated are one name each: 5000 copies of a known role are accepted.
        let contact = try fixture.store.createContact(customerID: customer.id, StoredContactFields(lastName: "Lee"),
                                                      keywords: [], roles: Array(repeating: "buyer", count: 5_000),
                                                      by: .user(fixture.admin.id))
        #expect(contact.roles == ["buyer"])
    }

    @Test func updateChangesGivenFieldsAndKeepsANameRequired() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Delta")
        let contact = try fixture.store.createContact(customerID: customer.id, StoredContactFields(firstName: "Ola", lastName: "Nord"),
                                                      keywords: [], roles: [], by: .user(fixture.admin.id))
        fixture.clock.advance(milliseconds: 3)
        let updated = try fixture.store.updateContact(id: contact.id, StoredContactFields(firstName: "", email: "ola@nord.no"),
                                                      expectedVersion: 1, by: .user(fixture.other.id))
        #expect(updated.firstName == nil && updated.lastName == "Nord" && updated.email == "ola@nord.no")
        #expect(updated.version == 2 && updated.updatedBy == fixture.other.ref && updated.updatedAt == fixture.clock.now)
        #expect(violations {
            _ = try fixture.store.updateContact(id: contact.id, StoredContactFields(lastName: " "), expectedVersion: nil,
                                                by: .user(fixture.admin.id))
        }?.map(\.field) == ["firstName", "lastName"])
        let stale = storeError {
            _ = try fixture.store.updateContact(id: contact.id, StoredContactFields(title: "X"), expectedVersion: 1, by: .user(fixture.admin.id))
        }
        guard case .aborted = stale else {
            Issue.record("expected aborted, got \(String(describing: stale))")
            return
        }
        #expect(try fixture.store.contact(id: contact.id) == updated)
    }

    @Test func deactivatedContactsAreHiddenUnlessAsked() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Epsilon")
        let names = ["Berg", "aalto", "Candel"]
        let contacts = try names.map {
            try fixture.store.createContact(customerID: customer.id, StoredContactFields(lastName: $0), keywords: [], roles: [],
                                            by: .user(fixture.admin.id))
        }
        let hidden = try fixture.store.setContactActive(id: contacts[0].id, false, expectedVersion: 1, by: .user(fixture.admin.id))
        #expect(!hidden.active && hidden.version == 2)
        #expect(try fixture.store.contacts(customerID: customer.id, includeDeactivated: false).map(\.lastName)
            == ["aalto", "Candel"])
        #expect(try fixture.store.contacts(customerID: customer.id, includeDeactivated: true).map(\.lastName)
            == ["aalto", "Berg", "Candel"])
        let back = try fixture.store.setContactActive(id: hidden.id, true, expectedVersion: 2, by: .user(fixture.admin.id))
        #expect(back.active)
        #expect(try fixture.store.contacts(customerID: customer.id, includeDeactivated: false).count == 3)
        #expect(throws: StoreError.notFound("customer 99 does not exist", field: "customerId")) {
            try fixture.store.contacts(customerID: 99, includeDeactivated: false)
        }
    }

    @Test func tagAndUntagAreHarmlessTwiceAndVersionOnlyRealChanges() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Zeta")
        _ = try fixture.store.createLabel(.keyword, name: "press")
        _ = try fixture.store.createLabel(.role, name: "buyer")
        let contact = try fixture.store.createContact(customerID: customer.id, StoredContactFields(lastName: "Koski"),
                                                      keywords: [], roles: [], by: .user(fixture.admin.id))
        let tagged = try fixture.store.tagContact(id: contact.id, keywords: ["press"], roles: ["BUYER"], by: .user(fixture.admin.id))
        #expect(tagged.keywords == ["press"] && tagged.roles == ["buyer"] && tagged.version == 2)
        #expect(try fixture.store.tagContact(id: contact.id, keywords: ["press"], roles: [], by: .user(fixture.admin.id)) == tagged)
        let untagged = try fixture.store.untagContact(id: contact.id, keywords: ["press"], roles: [], by: .user(fixture.admin.id))
        #expect(untagged.keywords == [] && untagged.roles == ["buyer"] && untagged.version == 3)
        #expect(violations {
            _ = try fixture.store.tagContact(id: contact.id, keywords: [], roles: ["nobody"], by: .user(fixture.admin.id))
        }?.map(\.field) == ["roles"])
    }

    /// A customer's contacts read their labels only when one of them has any (`labelled`): each
    /// listed contact carries exactly the labels its own read finds, before and after tagging.
    @Test func aCustomersContactsCarryTheirOwnLabelsWhetherOrNotAnyHasOne() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Eta")
        _ = try fixture.store.createLabel(.keyword, name: "press")
        _ = try fixture.store.createLabel(.role, name: "buyer")
        let contacts = try ["Aho", "Berg"].map {
            try fixture.store.createContact(customerID: customer.id, StoredContactFields(lastName: $0), keywords: [], roles: [],
                                            by: .user(fixture.admin.id))
        }
        func listed() throws -> [StoredContact] {
            try fixture.store.contacts(customerID: customer.id, includeDeactivated: false)
        }
        #expect(try listed().map { $0.keywords + $0.roles } == [[], []])
        _ = try fixture.store.tagContact(id: contacts[1].id, keywords: ["press"], roles: ["buyer"], by: .user(fixture.admin.id))
        #expect(try listed().map { $0.keywords + $0.roles } == [[], ["press", "buyer"]])
        #expect(try listed() == (try contacts.map { try fixture.store.contact(id: $0.id) }))
        _ = try fixture.store.untagContact(id: contacts[1].id, keywords: ["press"], roles: ["buyer"], by: .user(fixture.admin.id))
        #expect(try listed().map { $0.keywords + $0.roles } == [[], []])
    }
}
