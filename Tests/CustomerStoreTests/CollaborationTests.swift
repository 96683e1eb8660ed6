import Foundation
import Testing
@testable import CustomerStore

@Suite struct CollaborationTests {
    @Test func collaborationListsEveryTaskAndNoteOfEveryProjectNewestFirst() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Alpha")
        let sale = try store.createSalesCase(customerID: customer.id, StoredProjectFields(name: "Sale"), by: .user(fixture.admin.id))
        let project = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Build"), by: .user(fixture.admin.id))
        let elsewhere = try store.createProject(customerID: (try fixture.create("Other")).id, StoredProjectFields(name: "X"),
                                                by: .user(fixture.admin.id))
        var expected: [String] = []
        for (index, projectID) in [project.id, sale.id, project.id, elsewhere.id, sale.id].enumerated() {
            fixture.clock.advance(milliseconds: 1)
            if index % 2 == 0 {
                let task = try store.addProjectTask(projectID: projectID, name: "Task \(index)", assigneeID: fixture.other.id,
                                                    dueOn: "2027-01-0\(index + 1)", by: .user(fixture.admin.id))
                if projectID != elsewhere.id { expected.insert("task \(task.name) @\(task.projectName)", at: 0) }
            } else {
                let note = try store.addCollaborationNote(projectID: projectID, text: " Note \(index) ", by: .user(fixture.other.id))
                #expect(note.text == "Note \(index)" && note.author == fixture.other.ref)
                if projectID != elsewhere.id { expected.insert("note \(note.text) @\(note.projectName)", at: 0) }
            }
        }
        let items = try store.collaboration(customerID: customer.id)
        #expect(items.map { item in
            switch item {
            case .task(let task): "task \(task.name) @\(task.projectName)"
            case .note(let note): "note \(note.text) @\(note.projectName)"
            }
        } == expected)
        #expect(expected == ["task Task 4 @Sale", "task Task 2 @Build", "note Note 1 @Sale", "task Task 0 @Build"])
        #expect(items.map(\.createdAt) == items.map(\.createdAt).sorted(by: >))
        #expect(items.allSatisfy { [sale.id, project.id].contains($0.projectID) })
        #expect(throws: StoreError.notFound("customer 99 does not exist", field: "customerId")) { try store.collaboration(customerID: 99) }
    }

    @Test func tasksAreValidatedUpdatedAndCompletedWithHistory() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Beta")
        let project = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Build"), by: .user(fixture.admin.id))
        #expect(violations {
            _ = try store.addProjectTask(projectID: project.id, name: "", assigneeID: 77, dueOn: "2027-13-01",
                                         by: .user(fixture.admin.id))
        }?.map(\.field) == ["name", "dueOn", "assignee"])
        #expect(throws: StoreError.notFound("project 99 does not exist", field: "projectId")) {
            try store.addProjectTask(projectID: 99, name: "T", assigneeID: nil, dueOn: nil, by: .user(fixture.admin.id))
        }
        #expect(violations { _ = try store.addCollaborationNote(projectID: project.id, text: " ", by: .user(fixture.admin.id)) }?
            .map(\.field) == ["text"])

        let task = try store.addProjectTask(projectID: project.id, name: "Design", assigneeID: nil, dueOn: "2027-02-01",
                                            by: .user(fixture.admin.id))
        #expect(task.status == .planned && task.assignee == nil && task.projectName == "Build" && task.version == 1)
        let updated = try store.updateProjectTask(id: task.id, ProjectTaskChanges(assigneeID: .some(fixture.other.id),
                                                                                  dueOn: ""),
                                                  expectedVersion: 1, by: .user(fixture.admin.id))
        #expect(updated.assignee == fixture.other.ref && updated.dueOn == nil && updated.name == "Design")
        fixture.clock.advance(milliseconds: 3)
        let done = try store.setProjectTaskDone(id: task.id, true, by: .user(fixture.other.id))
        #expect(done.status == .done && done.completedAt == fixture.clock.now && done.completedBy == fixture.other.ref)
        #expect(try store.setProjectTaskDone(id: task.id, true, by: .user(fixture.admin.id)) == done)
        let reopened = try store.setProjectTaskDone(id: task.id, false, by: .user(fixture.admin.id))
        #expect(reopened.status == .planned && reopened.completedAt == nil && reopened.version == 4)
        #expect(ProjectTests.summary(try store.history(.projectTask, id: task.id)) == [
            "created name:->Design dueOn:->2027-02-01 status:->planned", "updated assignee:->bob dueOn:2027-02-01>-", "completed status:planned>done",
            "reopened status:done>planned",
        ])
        #expect(try store.history(.projectTask, id: task.id).allSatisfy { $0.customerID == customer.id })
    }

    /// A task updated to what it is (the name trimmed and composed, the same assignee and day) is
    /// answered as it is: no version, no history entry (gaps29; it wrote both, as UpdateCustomer did
    /// before gaps28). A stale version is still refused.
    @Test func aTaskUpdatedToItsStoredValuesIsLeftAsItIs() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Delta")
        let project = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Build"), by: .user(fixture.admin.id))
        let task = try store.addProjectTask(projectID: project.id, name: "Caf\u{E9}", assigneeID: fixture.other.id,
                                            dueOn: "2027-02-01", by: .user(fixture.admin.id))
        fixture.clock.advance(milliseconds: 5)
        let same = try store.updateProjectTask(id: task.id, ProjectTaskChanges(name: " Cafe\u{301} ", assigneeID: .some(fixture.other.id),
                                                                               dueOn: "2027-02-01"),
                                               expectedVersion: task.version, by: .user(fixture.admin.id))
        #expect(same == task)
        #expect(try store.history(.projectTask, id: task.id).count == 1)
        #expect(throws: StoreError.self) {
            try store.updateProjectTask(id: task.id, ProjectTaskChanges(name: "Caf\u{E9}"), expectedVersion: task.version + 1,
                                        by: .user(fixture.admin.id))
        }
        let renamed = try store.updateProjectTask(id: task.id, ProjectTaskChanges(name: "Cafe"), expectedVersion: task.version,
                                                  by: .user(fixture.admin.id))
        #expect(renamed.version == task.version + 1)
        #expect(try store.history(.projectTask, id: task.id).count == 2)
    }

    @Test func projectTasksJoinTheActivityListWithTheirProject() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Gamma")
        let now = fixture.clock.now
        let project = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Build"), by: .user(fixture.admin.id))
        // Equal ids in both tables: the list still tells them apart by kind (Activity.identity).
        let ownTask = try store.addTask(customerID: customer.id, subject: "Call", dueAt: now + 86_400 * 400,
                                        assigneeID: nil, contactID: nil, by: .user(fixture.admin.id))
        let planned = try store.addProjectTask(projectID: project.id, name: "Plan", assigneeID: fixture.other.id,
                                               dueOn: "2027-01-15", by: .user(fixture.admin.id))
        let finished = try store.addProjectTask(projectID: project.id, name: "Kick-off", assigneeID: nil, dueOn: nil,
                                                by: .user(fixture.admin.id))
        fixture.clock.advance(milliseconds: 1_000)
        _ = try store.setProjectTaskDone(id: finished.id, true, by: .user(fixture.admin.id))
        _ = try store.addProjectTask(projectID: (try store.createProject(customerID: (try fixture.create("Other")).id,
                                                                          StoredProjectFields(name: "X"), by: .user(fixture.admin.id))).id,
                                     name: "Not ours", assigneeID: nil, dueOn: nil, by: .user(fixture.admin.id))

        let list = try store.activities(customerID: customer.id, now: now)
        #expect(ownTask.id == planned.id)
        #expect(list.planned.map(\.subject) == ["Plan", "Call"])
        #expect(list.done.map(\.subject) == ["Kick-off"])
        let projectTask = try #require(list.planned.first)
        #expect(projectTask.kind == .projectTask && projectTask.identity == .projectTask(planned.id))
        #expect(list.planned.last?.identity == .activity(ownTask.id))
        #expect(projectTask.projectID == project.id && projectTask.projectName == "Build")
        #expect(projectTask.assignee == fixture.other.ref && projectTask.customerID == customer.id)
        // 2027-01-15T00:00:00Z
        #expect(projectTask.dueAt == Date(milliseconds: 1_799_971_200_000))
        #expect(list.done.first?.completedBy == fixture.admin.ref && list.done.first?.projectID == project.id)
        // The customer's own activity calls never reach a project task.
        #expect(throws: StoreError.notFound("activity \(finished.id) does not exist")) {
            try store.completeTask(id: finished.id, by: .user(fixture.admin.id))
        }
    }
}
