import CustomerClient
import Foundation
import Testing

/// The brief's activities tab: an activity may belong to one of its customer's projects. Set and
/// changed through the API and customerctl, refused precisely for another customer's project or
/// one that does not exist, shown on the card and in the activity list (table and JSON), filtered
/// by project, and recorded in the activity's history.
@Suite struct ActivityProjectTests {
    @Test func anActivityOfAProjectIsOnTheCardAndInItsProjectsList() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let project = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "Intranet"))
            let other = try await client.projects.createSalesCase(customerID: customer.id, ProjectFields(name: "Renewal"))
            let note = try await client.activities.note(customerID: customer.id, "Scope agreed", projectID: project.id)
            let call = try await client.activities.task(customerID: customer.id, "Call back", projectID: other.id)
            let loose = try await client.activities.note(customerID: customer.id, "Met at the fair")
            #expect(note.projectId == project.id && note.projectName == "Intranet")
            #expect(call.projectId == other.id && call.projectName == "Renewal")
            #expect(loose.projectId == nil)

            let card = try await client.cards.get(customerID: customer.id, tabs: [.contactInformation])
            let onCard = try #require(card.contactInformation?.activities)
            #expect((onCard.planned + onCard.done).first { $0.id == note.id && $0.kind == .note }?.projectName == "Intranet")

            let ofProject = try await client.activities.list(customerID: customer.id, projectID: project.id)
            #expect((ofProject.planned + ofProject.done).map(\.id) == [note.id])
            let all = try await client.activities.list(customerID: customer.id)
            #expect(Set((all.planned + all.done).map(\.id)) == [note.id, call.id, loose.id])
        }
    }

    @Test func anotherCustomersProjectAndAMissingOneAreInvalidAlikeAndNothingChanges() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let stranger = try await client.customers.create(CustomerFields(name: "Other Oy"))
            let theirs = try await client.projects.createProject(customerID: stranger.id, ProjectFields(name: "Theirs"))
            let note = try await client.activities.note(customerID: customer.id, "Kick-off")

            let foreign = await #expect(throws: RPCError.self) {
                try await client.activities.note(customerID: customer.id, "x", projectID: theirs.id)
            }
            #expect(foreign?.code == .invalidArgument)
            #expect(foreign?.details.map(\.field) == ["projectId"])
            let missing = await #expect(throws: RPCError.self) {
                try await client.activities.event(customerID: customer.id, "x", from: Date(), to: Date(), projectID: 987_654)
            }
            #expect(missing?.code == .invalidArgument)
            #expect(missing?.message.contains("has no project with id 987654") == true)
            let moved = await #expect(throws: RPCError.self) {
                try await client.activities.update(UpdateActivityRequest(id: note.id, projectId: theirs.id))
            }
            #expect(moved?.code == .invalidArgument)
            let listed = await #expect(throws: RPCError.self) {
                try await client.activities.list(customerID: customer.id, projectID: 987_654)
            }
            #expect(listed?.code == .invalidArgument)
            let both = await #expect(throws: RPCError.self) {
                try await client.activities.update(UpdateActivityRequest(id: note.id, clear: [.project], projectId: theirs.id))
            }
            #expect(both?.details.map(\.field) == ["projectId"])

            let all = try await client.activities.list(customerID: customer.id)
            #expect((all.planned + all.done).map(\.id) == [note.id])
            #expect(try await client.history.list(.activity, id: note.id).map(\.action) == ["created"])
        }
    }

    @Test func customerctlLinksMovesAndUnlinksAndTheHistoryShowsIt() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let project = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "Intranet"))
            let id = String(customer.id), projectID = String(project.id), socket = ["--socket", server.socketPath]

            let added = try await runProduct("customerctl", socket + ["activities", "note", id, "Scope agreed", "--project", projectID])
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout.contains("Intranet"))
            let noteID = try #require(try await client.activities.list(customerID: customer.id).done.first?.id)

            let table = try await runProduct("customerctl", socket + ["activities", "list", id, "--project", projectID])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("PROJECT") && table.stdout.contains("Intranet"))
            let json = try await runProduct("customerctl", socket + ["activities", "list", id, "--project", projectID, "--output", "json"])
            #expect(json.stdout.contains("\"projectName\" : \"Intranet\""))
            #expect(json.stdout.contains("\"projectId\" : \(project.id)"))

            let unlinked = try await runProduct("customerctl", socket + ["activities", "update", String(noteID), "--project", "none"])
            #expect(unlinked.status == 0, "\(unlinked.stderr)")
            #expect(try await client.activities.list(customerID: customer.id).done.first?.projectId == nil)
            let empty = try await client.activities.list(customerID: customer.id, projectID: project.id)
            #expect(empty.planned.isEmpty && empty.done.isEmpty)

            let history = try await client.history.list(.activity, id: noteID)
            #expect(history.map(\.action) == ["created", "updated"])
            #expect(history.last?.changes == [FieldChange(field: "projectId", oldValue: projectID, newValue: nil)])

            let bad = try await runProduct("customerctl", socket + ["activities", "note", id, "x", "--project", "987654"])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("customer \(customer.id) has no project with id 987654"))
        }
    }
}
