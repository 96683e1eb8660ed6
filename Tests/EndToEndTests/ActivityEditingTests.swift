import CustomerClient
import Foundation
import Testing

/// Issue 16 §4: activities are edited and removed like every other record, with version checks
/// and history, and keep the zone their times were given in.
@Suite struct ActivityEditingTests {
    /// 2026-12-18 14:00 in Helsinki (UTC+2 in winter).
    static let due = Date(timeIntervalSince1970: 1_797_595_200)

    @Test func aTaskIsEditedWithItsZoneAndTheHistoryRecordsEachChange() async throws {
        try await withServer { _, client in
            let me = try await client.users.whoAmI()
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let aino = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Aino"))
            let task = try await client.activities.task(customerID: customer.id, "Send the offer")
            let edited = try await client.activities.update(UpdateActivityRequest(
                id: task.id, expectedVersion: task.version, subject: "Send the revised offer", dueDate: Self.due,
                timeZone: "Europe/Helsinki", assignee: me.name, contactId: aino.id))
            #expect(edited.subject == "Send the revised offer")
            #expect(edited.dueDate == Self.due)
            #expect(edited.timeZone == "Europe/Helsinki")
            #expect(edited.contact?.id == aino.id)
            #expect(edited.version == task.version + 1)
            #expect(try await client.activities.list(customerID: customer.id).planned.first == edited)

            let cleared = try await client.activities.update(UpdateActivityRequest(id: task.id, clear: [.contact]))
            #expect(cleared.contact == nil)
            #expect(cleared.dueDate == Self.due)

            let history = try await client.history.list(.activity, id: task.id)
            #expect(history.map(\.action) == ["created", "updated", "updated"])
            let fields = Set(history[1].changes.map(\.field))
            #expect(fields == ["subject", "dueDate", "timeZone", "contactId"])
            #expect(history[2].changes.map(\.field) == ["contactId"])
        }
    }

    @Test func aStaleVersionOrAFieldTheKindLacksIsRefusedAndChangesNothing() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let note = try await client.activities.note(customerID: customer.id, "Met at the fair")
            _ = try await client.activities.update(UpdateActivityRequest(id: note.id, subject: "Met Aino at the fair"))

            let stale = await #expect(throws: RPCError.self) {
                try await client.activities.update(UpdateActivityRequest(id: note.id, expectedVersion: note.version, subject: "Lost"))
            }
            #expect(stale?.code == .aborted)
            let noDue = await #expect(throws: RPCError.self) {
                try await client.activities.update(UpdateActivityRequest(id: note.id, dueDate: Self.due))
            }
            #expect(noDue?.code == .invalidArgument)
            #expect(noDue?.details.map(\.field) == ["dueDate"])
            let badZone = await #expect(throws: RPCError.self) {
                try await client.activities.update(UpdateActivityRequest(id: note.id, subject: "x", timeZone: "Mars/Olympus"))
            }
            #expect(badZone?.code == .invalidArgument)
            let both = await #expect(throws: RPCError.self) {
                try await client.activities.update(UpdateActivityRequest(id: note.id, contactId: 1, clear: [.contact]))
            }
            #expect(both?.details.map(\.field) == ["contactId"])
            let list = try await client.activities.list(customerID: customer.id)
            #expect(list.done.map(\.subject) == ["Met Aino at the fair"])
            #expect(list.done.first?.version == note.version + 1)
        }
    }

    @Test func aRemovedActivityIsGoneAndItsHistoryRemains() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let start = Date(timeIntervalSince1970: 1_900_000_000)
            let event = try await client.activities.event(
                customerID: customer.id, "Kick-off", from: start, to: start.addingTimeInterval(3_600), timeZone: "GMT+0200")
            #expect(event.timeZone == "GMT+0200")
            let stale = await #expect(throws: RPCError.self) {
                try await client.activities.delete(id: event.id, expectedVersion: event.version + 1)
            }
            #expect(stale?.code == .aborted)
            try await client.activities.delete(id: event.id, expectedVersion: event.version)
            #expect(try await client.activities.list(customerID: customer.id).planned.isEmpty)
            let history = try await client.history.list(.activity, id: event.id)
            #expect(history.map(\.action) == ["created", "deleted"])
            #expect(history.last?.changes.first { $0.field == "subject" }?.oldValue == "Kick-off")
            let again = await #expect(throws: RPCError.self) { try await client.activities.delete(id: event.id) }
            #expect(again?.code == .notFound)
        }
    }

    @Test func activitiesAreEditedAndRemovedFromTheShellInTheZoneTheyWereGiven() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            func ctl(_ arguments: String...) async throws -> ProcessResult {
                try await runProduct("customerctl", ["--socket", server.socketPath] + arguments, environment: ["TZ": "UTC"])
            }
            let task = try await client.activities.task(customerID: customer.id, "Send the offer")
            let edited = try await ctl("activities", "update", String(task.id), "--due", "2026-12-18T14:00+02:00",
                                       "--subject", "Send the revised offer")
            #expect(edited.status == 0, "\(edited.stderr)")
            #expect(edited.stdout.contains("2026-12-18T14:00:00+02:00 GMT+0200"), "\(edited.stdout)")
            #expect(edited.stdout.contains("Send the revised offer"))
            let history = try await ctl("history", "activity", String(task.id))
            #expect(history.stdout.contains("subject: Send the offer -> Send the revised offer"), "\(history.stdout)")
            let removed = try await ctl("activities", "delete", String(task.id))
            #expect(removed.status == 0, "\(removed.stderr)")
            #expect(removed.stdout == "Activity \(task.id) deleted.\n")
            #expect(try await client.activities.list(customerID: customer.id).planned.isEmpty)
        }
    }
}
