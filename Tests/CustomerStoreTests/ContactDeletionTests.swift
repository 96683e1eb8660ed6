import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct ContactDeletionTests {
    /// A contact with personal data, a keyword, an update in its history and an activity naming it.
    private struct Setup {
        let fixture: Fixture
        let customer: StoredCustomer
        let contact: StoredContact
        let note: StoredActivity

        init() throws {
            fixture = try Fixture()
            customer = try fixture.create("Privacy Oy")
            _ = try fixture.store.createLabel(.keyword, name: "newsletter")
            let created = try fixture.store.createContact(customerID: customer.id, StoredContactFields(
                firstName: "Matti", lastName: "Meikäläinen", title: "CTO", email: "matti@privacy.fi", phone: "+358 40 111 2222",
                language: "fi", notes: "Secret hobby"), keywords: ["newsletter"], roles: [], by: .user(fixture.admin.id))
            contact = try fixture.store.updateContact(id: created.id, StoredContactFields(email: "matti.m@privacy.fi"),
                                                      expectedVersion: nil, by: .user(fixture.admin.id))
            note = try fixture.store.addNote(customerID: customer.id, text: "Called him", contactID: contact.id,
                                             by: .user(fixture.admin.id))
        }
    }

    @Test func deletionErasesThePersonEverywhereAndLeavesATombstone() throws {
        let setup = try Setup()
        let fixture = setup.fixture
        let tombstone = try fixture.store.deleteContact(id: setup.contact.id, by: .user(fixture.other.id))
        #expect(tombstone == StoredContact(id: setup.contact.id, customerID: setup.customer.id, active: false, deleted: true,
                                     version: setup.contact.version + 1, createdAt: setup.contact.createdAt,
                                     createdBy: fixture.admin.ref, updatedAt: tombstone.updatedAt,
                                     updatedBy: fixture.other.ref))
        #expect(try fixture.store.contact(id: setup.contact.id) == tombstone)
        #expect(tombstone.ref == StoredContactRef(id: setup.contact.id, name: nil, deleted: true))

        // The raw tables hold none of the personal values any more.
        for value in ["Matti", "Meikäläinen", "matti@privacy.fi", "matti.m@privacy.fi", "Secret hobby", "CTO"] {
            let pattern = SQLValue.text("%\(value)%")
            #expect(try fixture.rawCount("""
                SELECT count(*) FROM contacts WHERE coalesce(first_name, '') || coalesce(last_name, '') || coalesce(title, '')
                    || coalesce(email, '') || coalesce(notes, '') LIKE ?
                """, [pattern]) == 0)
            #expect(try fixture.rawCount("""
                SELECT count(*) FROM history WHERE changes LIKE ?
                """, [pattern]) == 0)
        }
        #expect(try fixture.rawCount("SELECT count(*) FROM contact_labels") == 0)
        #expect(try fixture.store.labels(.keyword).map(\.contactCount) == [0])

        // The history keeps its entries, their values marked erased, each naming the deleted contact.
        let history = try fixture.store.history(.contact, id: setup.contact.id)
        #expect(history.map(\.action) == ["created", "updated", "deleted"])
        #expect(history[1].changes == [StoredFieldChange(field: "email", oldValue: nil, newValue: nil, erased: true)])
        #expect(history.allSatisfy { $0.contact == StoredContactRef(id: setup.contact.id, name: nil, deleted: true) })

        // Records that name the contact show the deleted marker.
        let activities = try fixture.store.activities(customerID: setup.customer.id, now: fixture.clock.now)
        #expect(activities.done.map(\.contact) == [StoredContactRef(id: setup.contact.id, name: nil, deleted: true)])
        #expect(try fixture.store.contacts(customerID: setup.customer.id, includeDeactivated: true) == [])
        // Deleting again returns the same tombstone.
        #expect(try fixture.store.deleteContact(id: setup.contact.id, by: .user(fixture.admin.id)) == tombstone)
    }

    @Test func aDeletedContactCannotBeChanged() throws {
        let setup = try Setup()
        let fixture = setup.fixture
        let id = setup.contact.id
        _ = try fixture.store.deleteContact(id: id, by: .user(fixture.admin.id))
        let refused = StoreError.deletedContact(id, field: "id")
        #expect(throws: refused) {
            try fixture.store.updateContact(id: id, StoredContactFields(firstName: "Back"), expectedVersion: nil, by: .user(fixture.admin.id))
        }
        #expect(throws: refused) { try fixture.store.setContactActive(id: id, true, expectedVersion: nil, by: .user(fixture.admin.id)) }
        #expect(throws: refused) { try fixture.store.setContactActive(id: id, false, expectedVersion: nil, by: .user(fixture.admin.id)) }
        #expect(throws: refused) { try fixture.store.tagContact(id: id, keywords: ["newsletter"], roles: [], by: .user(fixture.admin.id)) }
        #expect(throws: refused) { try fixture.store.untagContact(id: id, keywords: [], roles: [], by: .user(fixture.admin.id)) }
        #expect(throws: StoreError.deletedContact(id, field: "contactId")) {
            try fixture.store.addTask(customerID: setup.customer.id, subject: "Call", dueAt: nil, assigneeID: nil,
                                      contactID: id, by: .user(fixture.admin.id))
        }
    }

    @Test func theSchemaRefusesATombstoneWithPersonalData() throws {
        let setup = try Setup()
        let error = storeError {
            try setup.fixture.rawWrite("UPDATE contacts SET deleted = 1, active = 0 WHERE id = ?", [.integer(setup.contact.id)])
        }
        guard case .sqlite = error else {
            Issue.record("expected a CHECK failure, got \(String(describing: error))")
            return
        }
        #expect(try !setup.fixture.store.contact(id: setup.contact.id).deleted)
    }
}
