import Foundation
import Testing
@testable import CustomerStore

@Suite struct ActivityTests {
    private static let hour: TimeInterval = 3_600

    /// A read takes its `kind` column's bytes without a `String`: the same kind as
    /// `ActivityKind(rawValue:) ?? .note` for every case and for texts that are none.
    @Test(arguments: ActivityKind.allCases.map(\.rawValue) + ["", "t", "tasks", "Task", "even", "projecttask", "n", "note "])
    func aStoredKindReadsAsItsRawValueDoes(_ text: String) {
        let read = Array(text.utf8).withUnsafeBytes { ActivityKind(storedText: $0) }
        #expect(read == ActivityKind(rawValue: text) ?? .note)
    }

    @Test func activitiesAreSplitIntoPlannedAndDoneAndOrdered() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Alpha")
        let now = fixture.clock.now
        let contact = try store.createContact(customerID: customer.id, StoredContactFields(firstName: "Aino", lastName: "V"),
                                              keywords: [], roles: [], by: .user(fixture.admin.id))
        let undated = try store.addTask(customerID: customer.id, subject: "Someday", dueAt: nil, assigneeID: nil,
                                        contactID: nil, by: .user(fixture.admin.id))
        let later = try store.addTask(customerID: customer.id, subject: "Later", dueAt: now + 48 * Self.hour,
                                      assigneeID: fixture.other.id, contactID: contact.id, by: .user(fixture.admin.id))
        let meeting = try store.addEvent(customerID: customer.id, subject: "Meeting", startsAt: now + Self.hour,
                                         endsAt: now + 2 * Self.hour, contactID: nil, by: .user(fixture.admin.id))
        let overdue = try store.addTask(customerID: customer.id, subject: "Overdue", dueAt: now - Self.hour,
                                        assigneeID: nil, contactID: nil, by: .user(fixture.admin.id))
        let pastEvent = try store.addEvent(customerID: customer.id, subject: "Fair", startsAt: now - 5 * Self.hour,
                                           endsAt: now - 4 * Self.hour, contactID: nil, by: .user(fixture.admin.id))
        fixture.clock.advance(milliseconds: 1_000)
        let note = try store.addNote(customerID: customer.id, text: "  Spoke to Aino  ", contactID: contact.id,
                                     by: .user(fixture.other.id))
        fixture.clock.advance(milliseconds: 1_000)
        let completed = try store.completeTask(id: undated.id, by: .user(fixture.other.id))

        #expect(undated.assignee == fixture.admin.ref && later.assignee == fixture.other.ref)
        #expect(later.contact == StoredContactRef(id: contact.id, name: "Aino V", deleted: false))
        #expect(note.subject == "Spoke to Aino" && note.done && note.kind == .note)
        #expect(completed.done && completed.completedBy == fixture.other.ref && completed.completedAt == fixture.clock.now)
        #expect(completed.version == 2)

        let list = try store.activities(customerID: customer.id, now: now)
        #expect(list.planned.map(\.subject) == [overdue.subject, meeting.subject, later.subject])
        // Done, newest first: the completed task (now + 2 s), the note (now + 1 s), the fair (ended 4 h ago).
        #expect(list.done.map(\.subject) == [completed.subject, note.subject, pastEvent.subject])
        #expect(list.planned.allSatisfy { !$0.done } && list.done.allSatisfy(\.done))
        #expect(list.planned.allSatisfy { $0.projectID == nil && $0.projectName == nil })

        // The same event is done once it has ended.
        let tomorrow = try store.activities(customerID: customer.id, now: now + 3 * Self.hour)
        #expect(tomorrow.done.map(\.subject).contains(meeting.subject))

        let reopened = try store.reopenTask(id: undated.id, by: .user(fixture.admin.id))
        #expect(!reopened.done && reopened.completedAt == nil && reopened.completedBy == nil && reopened.version == 3)
        #expect(try store.activities(customerID: customer.id, now: now).planned.last?.id == undated.id)
    }

    @Test func onlyTasksCanBeCompleted() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Beta")
        let note = try fixture.store.addNote(customerID: customer.id, text: "Hi", contactID: nil, by: .user(fixture.admin.id))
        #expect(throws: StoreError.failedPrecondition("activity \(note.id) is a note, not a task", field: "id")) {
            try fixture.store.completeTask(id: note.id, by: .user(fixture.admin.id))
        }
        #expect(throws: StoreError.failedPrecondition("activity \(note.id) is a note, not a task", field: "id")) {
            try fixture.store.reopenTask(id: note.id, by: .user(fixture.admin.id))
        }
        #expect(throws: StoreError.notFound("activity 99 does not exist")) {
            try fixture.store.completeTask(id: 99, by: .user(fixture.admin.id))
        }
    }

    @Test func invalidActivitiesListEveryField() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Gamma")
        let elsewhere = try fixture.create("Elsewhere")
        let stranger = try store.createContact(customerID: elsewhere.id, StoredContactFields(lastName: "Stranger"), keywords: [],
                                               roles: [], by: .user(fixture.admin.id))
        let now = fixture.clock.now
        #expect(violations {
            _ = try store.addNote(customerID: customer.id, text: String(repeating: "n", count: 4_001), contactID: stranger.id,
                                  by: .user(fixture.admin.id))
        }?.map(\.field) == ["text", "contactId"])
        #expect(violations {
            _ = try store.addTask(customerID: customer.id, subject: " ", dueAt: nil, assigneeID: 77, contactID: nil,
                                  by: .user(fixture.admin.id))
        }?.map(\.field) == ["subject", "assignee"])
        #expect(violations {
            _ = try store.addEvent(customerID: customer.id, subject: String(repeating: "s", count: 201), startsAt: now,
                                   endsAt: now - 1, contactID: nil, by: .user(fixture.admin.id))
        }?.map(\.field) == ["subject", "endsAt"])
        #expect(throws: StoreError.notFound("customer 99 does not exist", field: "customerId")) {
            try store.addNote(customerID: 99, text: "x", contactID: nil, by: .user(fixture.admin.id))
        }
        #expect(try store.activities(customerID: customer.id, now: now) == StoredActivityList(planned: [], done: []))
    }

    @Test func aCustomerWithActivitiesIsErasedToATombstoneAndOneWithOnlyContactsRemovedWhole() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Delta")
        let contacts = try (1...3).map {
            try store.createContact(customerID: customer.id, StoredContactFields(lastName: "C\($0)"), keywords: [], roles: [],
                                    by: .user(fixture.admin.id))
        }
        for index in 0..<12 {
            _ = try store.addNote(customerID: customer.id, text: "Note \(index)", contactID: nil, by: .user(fixture.admin.id))
        }
        try store.deleteCustomer(id: customer.id, by: .user(fixture.admin.id))
        let tombstone = try store.customer(id: customer.id)
        #expect(tombstone.deleted && !tombstone.active && tombstone.name.isEmpty)
        #expect(try contacts.allSatisfy { try store.contact(id: $0.id).deleted })
        #expect(try store.activities(customerID: customer.id, now: Date()).done.count == 12)
        #expect(throws: StoreError.deletedCustomer(customer.id, field: "customerId")) {
            try store.addNote(customerID: customer.id, text: "More", contactID: nil, by: .user(fixture.admin.id))
        }
        #expect(fixture.store.checkpointer.statistics.truncations == 1)

        let other = try fixture.create("Epsilon")
        let only = try store.createContact(customerID: other.id, StoredContactFields(lastName: "Solo"), keywords: [], roles: [],
                                           by: .user(fixture.admin.id))
        try store.deleteCustomer(id: other.id, by: .user(fixture.admin.id))
        #expect(throws: StoreError.notFound("contact \(only.id) does not exist")) { try store.contact(id: only.id) }
        #expect(throws: StoreError.notFound("customer \(other.id) does not exist")) { try store.customer(id: other.id) }
    }
}
