import CustomerClient
import Foundation
import Testing

/// BRIEF.md, Activities, and the change history every write leaves behind.
@Suite struct ActivityAndHistoryTests {
    @Test func notesAndTasksAreAddedQuicklyAndSplitIntoPlannedAndDone() async throws {
        try await withServer { _, client in
            let me = try await client.users.whoAmI()
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let note = try await client.activities.note(customerID: customer.id, "Met at the fair")
            #expect(note.kind == .note)
            #expect(note.done)
            let soon = Date().addingTimeInterval(86_400)
            let later = Date().addingTimeInterval(7 * 86_400)
            let laterTask = try await client.activities.task(customerID: customer.id, "Send offer", due: later)
            let soonTask = try await client.activities.task(customerID: customer.id, "Call back", due: soon)
            #expect(soonTask.assignee?.id == me.id)
            let meeting = try await client.activities.event(
                customerID: customer.id, "Kick-off", from: soon.addingTimeInterval(3600), to: soon.addingTimeInterval(7200))
            let past = try await client.activities.event(
                customerID: customer.id, "Intro call", from: Date().addingTimeInterval(-7200), to: Date().addingTimeInterval(-3600))

            var list = try await client.activities.list(customerID: customer.id)
            #expect(list.planned.map(\.id) == [soonTask.id, meeting.id, laterTask.id])
            #expect(Set(list.done.map(\.id)) == [note.id, past.id])

            let completed = try await client.activities.complete(taskID: soonTask.id)
            #expect(completed.done)
            #expect(completed.completedBy?.id == me.id)
            list = try await client.activities.list(customerID: customer.id)
            #expect(list.planned.map(\.id) == [meeting.id, laterTask.id])
            #expect(list.done.contains { $0.id == soonTask.id })

            _ = try await client.activities.reopen(taskID: soonTask.id)
            #expect(try await client.activities.list(customerID: customer.id).planned.first?.id == soonTask.id)

            let notATask = await #expect(throws: RPCError.self) { try await client.activities.complete(taskID: note.id) }
            #expect(notATask?.code == .failedPrecondition)
            let backwards = await #expect(throws: RPCError.self) {
                try await client.activities.event(customerID: customer.id, "Backwards", from: later, to: soon)
            }
            #expect(backwards?.details.map(\.field) == ["endsAt"])
        }
    }

    @Test func everyChangeOfACustomerIsInItsHistoryWithOldAndNewValues() async throws {
        try await withServer { _, client in
            let me = try await client.users.whoAmI()
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy", email: "info@acme.fi"))
            _ = try await client.customers.update(id: customer.id, CustomerFields(name: "Acme Oyj", email: "info@acme.fi"))
            _ = try await client.customers.deactivate(id: customer.id)
            _ = try await client.customers.activate(id: customer.id)
            let address = try await client.addresses.add(customerID: customer.id, AddressFields(city: "Espoo", country: "FI"))

            let history = try await client.history.list(.customer, id: customer.id)
            #expect(history.map(\.action) == ["created", "updated", "deactivated", "activated", "headOfficeSet"])
            #expect(history.allSatisfy { $0.by.id == me.id })
            // Only the fields that really changed.
            #expect(history[1].changes == [FieldChange(field: "name", oldValue: "Acme Oy", newValue: "Acme Oyj")])
            #expect(history[4].changes.first?.newValue == String(address.id))

            let addressHistory = try await client.history.list(.address, id: address.id)
            #expect(addressHistory.map(\.action) == ["created"])
        }
    }

    @Test func aCustomerWithContactsAndActivitiesIsErasedAndItsActivitiesStay() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let aino = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Aino"))
            _ = try await client.activities.note(customerID: customer.id, "Hello", contactID: aino.id)
            try await client.customers.delete(id: customer.id, confirm: true)
            #expect(try await client.customers.get(id: customer.id).isDeleted)
            let notes = try await client.activities.list(customerID: customer.id).done
            #expect(notes.map(\.subject) == ["Hello"])
            #expect(notes.first?.contact == ContactRef(id: aino.id, name: nil, deleted: true))
        }
    }

    @Test func theCardHasTheContactInformationTabInOneCall() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let office = try await client.addresses.add(customerID: customer.id, AddressFields(city: "Espoo", country: "FI"))
            _ = try await client.addresses.add(customerID: customer.id, AddressFields(city: "Tampere", country: "FI"))
            let aino = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Aino"))
            let hidden = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Old"))
            _ = try await client.contacts.deactivate(id: hidden.id)
            let task = try await client.activities.task(customerID: customer.id, "Call", contactID: aino.id)

            let card = try await client.cards.get(customerID: customer.id)
            #expect(card.customer.id == customer.id)
            #expect(card.customer.headOffice?.id == office.id)
            let tab = try #require(card.contactInformation)
            #expect(tab.headOffice?.id == office.id)
            #expect(tab.addresses.first?.id == office.id)
            #expect(tab.contacts.map(\.id) == [aino.id])
            #expect(tab.activities.planned.map(\.id) == [task.id])

            let missing = await #expect(throws: RPCError.self) { try await client.cards.get(customerID: 999_999) }
            #expect(missing?.code == .notFound)
        }
    }
}
