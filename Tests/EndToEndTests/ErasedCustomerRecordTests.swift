import CustomerClient
import CustomerStore
import Foundation
import Testing

/// What an erased customer keeps (projects with their tasks, notes and forecasts, activities,
/// files and links) stays as it was: every write to one of them is refused FAILED_PRECONDITION
/// and changes nothing, as writes to the customer itself are (ErasureTests).
@Suite struct ErasedCustomerRecordTests {
    @Test func everyWriteToARecordAnErasedCustomerKeepsIsRefusedAndChangesNothing() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Tombstone Oy", country: "FI"))
            let project = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "Roll-out", currency: "EUR"))
            let open = try await client.projects.createSalesCase(customerID: customer.id, ProjectFields(name: "Offer"))
            let task = try await client.projects.addTask(projectID: project.id, "Wireframes")
            _ = try await client.projects.setForecast(SetForecastRequest(
                projectId: project.id, month: "2027-01", revenue: 100, cost: 60, billing: 100, hours: 10))
            let todo = try await client.activities.task(customerID: customer.id, "Call back")
            let note = try await client.activities.note(customerID: customer.id, "Met at the fair")
            let file = try await client.files.upload(customerID: customer.id, name: "offer.txt", data: Data("offer".utf8))
            let link = try await client.files.addLink(customerID: customer.id, url: "https://example.com/deal", title: "Deal")
            try await client.customers.delete(id: customer.id, confirm: true)
            #expect(try await client.customers.get(id: customer.id).isDeleted)

            let before = try StoreSnapshot.read(databasePath: server.databasePath)
            let writes: [(String, @Sendable () async throws -> Void)] = [
                ("UpdateProject", { _ = try await client.projects.update(id: project.id, ProjectFields(name: "Renamed")) }),
                ("WinSalesCase", { _ = try await client.projects.win(salesCaseID: open.id) }),
                ("LoseSalesCase", { _ = try await client.projects.lose(salesCaseID: open.id, reason: "Gone") }),
                ("AddProjectTask", { _ = try await client.projects.addTask(projectID: project.id, "Another") }),
                ("SetProjectTaskStatus", { _ = try await client.projects.setTaskStatus(id: task.id, .done) }),
                ("collaboration AddNote", { _ = try await client.projects.addNote(projectID: project.id, "Still going") }),
                ("SetForecast", {
                    _ = try await client.projects.setForecast(SetForecastRequest(
                        projectId: project.id, month: "2027-02", revenue: 1, cost: 1, billing: 1, hours: 1))
                }),
                ("RemoveForecast", { _ = try await client.projects.removeForecast(projectID: project.id, month: "2027-01") }),
                ("CompleteTask", { _ = try await client.activities.complete(taskID: todo.id) }),
                ("DeleteActivity", { try await client.activities.delete(id: note.id) }),
                ("RenameFile", { _ = try await client.files.rename(id: file.id, to: "renamed.txt") }),
                ("RemoveFile", { _ = try await client.files.remove(id: file.id) }),
                ("RenameLink", { _ = try await client.files.renameLink(id: link.id, to: "Renamed") }),
                ("RemoveLink", { _ = try await client.files.removeLink(id: link.id) }),
            ]
            for (method, write) in writes {
                let error = await outcome { try await write() }
                #expect(error?.code == .failedPrecondition, "\(method): \(String(describing: error))")
                #expect(error?.message.contains("customer \(customer.id) is deleted") == true, "\(method): \(String(describing: error))")
            }
            #expect(try StoreSnapshot.read(databasePath: server.databasePath).changedTables(comparedTo: before) == [])
            // What it keeps can still be read.
            #expect(try await client.projects.get(id: project.id).name == "Roll-out")
            #expect(try await client.files.list(customerID: customer.id).links.map(\.id) == [link.id])
        }
    }
}
