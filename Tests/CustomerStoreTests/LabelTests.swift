import Foundation
import Testing
@testable import CustomerStore

@Suite struct LabelTests {
    @Test func labelsAreUniquePerKindIgnoringCaseAndListedByNameWithCounts() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Alpha")
        let beta = try fixture.store.createLabel(.keyword, name: " beta ")
        _ = try fixture.store.createLabel(.keyword, name: "Alpha")
        _ = try fixture.store.createLabel(.role, name: "beta")  // the same name in the other list is fine
        #expect(beta.name == "beta" && beta.contactCount == 0)
        #expect(throws: StoreError.alreadyExists("is already taken by the keyword 'beta' (names are compared as they print: ignoring case, compatibility forms and characters that do not show)", field: "name")) {
            try fixture.store.createLabel(.keyword, name: "BETA")
        }
        #expect(violations { _ = try fixture.store.createLabel(.role, name: "  ") }?.map(\.field) == ["name"])
        _ = try fixture.store.createContact(customerID: customer.id, StoredContactFields(lastName: "One"), keywords: ["beta"],
                                            roles: [], by: .user(fixture.admin.id))
        #expect(try fixture.store.labels(.keyword).map { "\($0.name)=\($0.contactCount)" } == ["Alpha=0", "beta=1"])
        #expect(try fixture.store.labels(.role).map(\.name) == ["beta"])
    }

    @Test func renameCarriesOverToContacts() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Beta")
        _ = try fixture.store.createLabel(.role, name: "buyer")
        _ = try fixture.store.createLabel(.role, name: "owner")
        let contact = try fixture.store.createContact(customerID: customer.id, StoredContactFields(lastName: "Two"),
                                                      keywords: [], roles: ["buyer"], by: .user(fixture.admin.id))
        let renamed = try fixture.store.renameLabel(.role, name: "BUYER", to: "Purchaser", by: .user(fixture.admin.id))
        #expect(renamed.name == "Purchaser" && renamed.contactCount == 1)
        #expect(try fixture.store.contact(id: contact.id).roles == ["Purchaser"])
        // The contact's history (and so the change feed) records the rename.
        let renaming = try #require(try fixture.store.history(.contact, id: contact.id).last)
        #expect(renaming.action == "updated")
        #expect(renaming.changes == [StoredFieldChange(field: "roles", oldValue: "buyer", newValue: "Purchaser")])
        #expect(throws: StoreError.alreadyExists("is already taken by the role 'owner' (names are compared as they print: ignoring case, compatibility forms and characters that do not show)", field: "name")) {
            try fixture.store.renameLabel(.role, name: "Purchaser", to: "Owner", by: .user(fixture.admin.id))
        }
        #expect(throws: StoreError.notFound("no role is named 'nobody'", field: "name")) {
            try fixture.store.renameLabel(.role, name: "nobody", to: "x", by: .user(fixture.admin.id))
        }
        #expect(violations { _ = try fixture.store.renameLabel(.role, name: "owner", to: "", by: .user(fixture.admin.id)) }?.map(\.field) == ["newName"])
    }

    @Test func deletingALabelInUseNeedsForceAndUnassignsIt() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Gamma")
        _ = try fixture.store.createLabel(.keyword, name: "event")
        let contacts = try (1...3).map {
            try fixture.store.createContact(customerID: customer.id, StoredContactFields(lastName: "C\($0)"), keywords: ["event"],
                                            roles: [], by: .user(fixture.admin.id))
        }
        #expect(throws: StoreError.failedPrecondition(
            "3 contacts carry the keyword 'event': delete it with force=true to unassign it from them", field: "force")) {
            try fixture.store.deleteLabel(.keyword, name: "event", force: false, by: .user(fixture.admin.id))
        }
        #expect(try fixture.store.contact(id: contacts[0].id).keywords == ["event"])
        #expect(try fixture.store.deleteLabel(.keyword, name: "Event", force: true, by: .user(fixture.admin.id)) == 3)
        #expect(try fixture.store.labels(.keyword) == [])
        #expect(try contacts.allSatisfy { try fixture.store.contact(id: $0.id).keywords.isEmpty })
        for contact in contacts {
            let untagging = try #require(try fixture.store.history(.contact, id: contact.id).last)
            #expect(untagging.action == "untagged")
            #expect(untagging.changes == [StoredFieldChange(field: "keywords", oldValue: "event", newValue: nil)])
        }
        _ = try fixture.store.createLabel(.keyword, name: "unused")
        #expect(try fixture.store.deleteLabel(.keyword, name: "unused", force: false, by: .user(fixture.admin.id)) == 0)
        #expect(throws: StoreError.notFound("no keyword is named 'unused'", field: "name")) {
            try fixture.store.deleteLabel(.keyword, name: "unused", force: true, by: .user(fixture.admin.id))
        }
    }
}
