import Foundation
import Testing
@testable import CustomerStore

/// An activity may belong to one of its customer's projects (migration 14): set on creation or
/// edit, refused for another customer's project, NOT_FOUND for none, shown and filtered in the
/// list with the project's tasks, and recorded in the activity's history.
@Suite struct ActivityProjectTests {
    @Test func anActivityOfAProjectIsListedWithItAndFilteredByIt() throws {
        let fixture = try Fixture()
        let store = fixture.store, author = Author.user(fixture.admin.id)
        let customer = try fixture.create("Alpha")
        let project = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Intranet"), by: author)
        let sale = try store.createSalesCase(customerID: customer.id, StoredProjectFields(name: "Renewal"), by: author)
        let task = try store.addProjectTask(projectID: project.id, name: "Design", assigneeID: nil, dueOn: nil, by: author)

        let note = try store.addNote(customerID: customer.id, text: "Scope agreed", contactID: nil,
                                     projectID: project.id, by: author)
        let call = try store.addTask(customerID: customer.id, subject: "Call back", dueAt: nil, assigneeID: nil,
                                     contactID: nil, projectID: sale.id, by: author)
        let loose = try store.addEvent(customerID: customer.id, subject: "Lunch", startsAt: fixture.clock.now,
                                       endsAt: fixture.clock.now + 3_600, contactID: nil, by: author)

        #expect(note.projectID == project.id && note.projectName == "Intranet")
        #expect(call.projectID == sale.id && call.projectName == "Renewal")
        #expect(loose.projectID == nil && loose.projectName == nil)

        let all = try store.activities(customerID: customer.id, now: fixture.clock.now)
        #expect(Set((all.planned + all.done).map(\.identity))
                    == [.activity(note.id), .activity(call.id), .activity(loose.id), .projectTask(task.id)])
        let ofProject = try store.activities(customerID: customer.id, projectID: project.id, now: fixture.clock.now)
        #expect(Set((ofProject.planned + ofProject.done).map(\.identity)) == [.activity(note.id), .projectTask(task.id)])
        let ofSale = try store.activities(customerID: customer.id, projectID: sale.id, now: fixture.clock.now)
        #expect((ofSale.planned + ofSale.done).map(\.identity) == [.activity(call.id)])
    }

    @Test func anotherCustomersProjectAndAMissingOneAreRefusedAlikeByField() throws {
        let fixture = try Fixture()
        let store = fixture.store, author = Author.user(fixture.admin.id)
        let customer = try fixture.create("Alpha"), other = try fixture.create("Beta")
        let foreign = try store.createProject(customerID: other.id, StoredProjectFields(name: "Theirs"), by: author)

        #expect(throws: StoreError.invalidArgument([
            FieldViolation(field: "projectId", reason: "customer \(customer.id) has no project with id \(foreign.id)"),
        ])) {
            try store.addNote(customerID: customer.id, text: "x", contactID: nil, projectID: foreign.id, by: author)
        }
        #expect(throws: StoreError.invalidArgument([
            FieldViolation(field: "projectId", reason: "customer \(customer.id) has no project with id 999"),
        ])) {
            try store.addTask(customerID: customer.id, subject: "x", dueAt: nil, assigneeID: nil, contactID: nil,
                              projectID: 999, by: author)
        }
        #expect(throws: StoreError.invalidArgument([
            FieldViolation(field: "projectId", reason: "customer \(customer.id) has no project with id 999"),
        ])) {
            try store.activities(customerID: customer.id, projectID: 999, now: fixture.clock.now)
        }
        #expect(throws: StoreError.invalidArgument([
            FieldViolation(field: "projectId", reason: "customer \(customer.id) has no project with id \(foreign.id)"),
        ])) {
            try store.activities(customerID: customer.id, projectID: foreign.id, now: fixture.clock.now)
        }
        // A refused call changes nothing.
        let list = try store.activities(customerID: customer.id, now: fixture.clock.now)
        #expect(list.planned.isEmpty && list.done.isEmpty)
    }

    @Test func anEditMovesTheActivityBetweenProjectsAndTheHistoryKeepsEachLink() throws {
        let fixture = try Fixture()
        let store = fixture.store, author = Author.user(fixture.admin.id)
        let customer = try fixture.create("Alpha"), other = try fixture.create("Beta")
        let first = try store.createProject(customerID: customer.id, StoredProjectFields(name: "First"), by: author)
        let second = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Second"), by: author)
        let foreign = try store.createProject(customerID: other.id, StoredProjectFields(name: "Theirs"), by: author)
        let note = try store.addNote(customerID: customer.id, text: "Kick-off", contactID: nil, by: author)

        let linked = try store.updateActivity(id: note.id, ActivityChanges(projectID: first.id),
                                              expectedVersion: note.version, by: author)
        #expect(linked.projectID == first.id && linked.projectName == "First" && linked.version == note.version + 1)
        let moved = try store.updateActivity(id: note.id, ActivityChanges(projectID: second.id), expectedVersion: nil,
                                             by: author)
        #expect(moved.projectName == "Second")
        #expect(throws: StoreError.invalidArgument([
            FieldViolation(field: "projectId", reason: "customer \(customer.id) has no project with id \(foreign.id)"),
        ])) {
            try store.updateActivity(id: note.id, ActivityChanges(projectID: foreign.id), expectedVersion: nil, by: author)
        }
        let unlinked = try store.updateActivity(id: note.id, ActivityChanges(projectID: .some(nil)), expectedVersion: nil,
                                                by: author)
        #expect(unlinked.projectID == nil && unlinked.projectName == nil)

        let changes = try store.history(.activity, id: note.id).dropFirst().map { entry in
            entry.changes.map { "\($0.field): \($0.oldValue ?? "-") > \($0.newValue ?? "-")" }
        }
        #expect(changes == [
            ["projectId: - > \(first.id)"], ["projectId: \(first.id) > \(second.id)"], ["projectId: \(second.id) > -"],
        ])
    }

    /// A task and a project task may share an id (two tables) and a due date: the list still has
    /// one order, the kind deciding ("projectTask" before "task"), dated before undated.
    @Test func entriesTiedOnDateAndIDAreOrderedByKind() throws {
        let fixture = try Fixture()
        let store = fixture.store, author = Author.user(fixture.admin.id)
        let customer = try fixture.create("Alpha")
        let project = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Intranet"), by: author)
        let midnight = Date(timeIntervalSince1970: 1_894_665_600) // 2030-01-15 00:00 UTC
        let datedTask = try store.addTask(customerID: customer.id, subject: "Call", dueAt: midnight, assigneeID: nil,
                                          contactID: nil, by: author)
        let undatedTask = try store.addTask(customerID: customer.id, subject: "Write", dueAt: nil, assigneeID: nil,
                                            contactID: nil, by: author)
        let datedProjectTask = try store.addProjectTask(projectID: project.id, name: "Design", assigneeID: nil,
                                                        dueOn: "2030-01-15", by: author)
        let undatedProjectTask = try store.addProjectTask(projectID: project.id, name: "Build", assigneeID: nil,
                                                          dueOn: nil, by: author)
        try #require(datedTask.id == datedProjectTask.id && undatedTask.id == undatedProjectTask.id)

        let list = try store.activities(customerID: customer.id, now: fixture.clock.now)
        #expect(list.planned.map(\.identity) == [.projectTask(datedProjectTask.id), .activity(datedTask.id),
                                                 .projectTask(undatedProjectTask.id), .activity(undatedTask.id)])
    }
}
