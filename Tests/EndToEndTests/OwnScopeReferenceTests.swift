import CustomerClient
import Foundation
import Testing

/// Own scope and the ids a request names besides its customer: a record of a customer out of the
/// caller's scope must be refused as one that does not exist, or the answer tells that it exists.
@Suite struct OwnScopeReferenceTests {
    /// A project id nobody has.
    static let absentProject: Int64 = 987_654

    @Test func anotherManagersProjectReadsAsOneThatDoesNotExist() async throws {
        try await withPermissionServer(profile: BuiltIn.consultant.rawValue) { fixture in
            let client = fixture.client
            let own = fixture.seed.ownCustomer
            let note = try await client.activities.note(customerID: own, "Own note")
            let calls: [(String, @Sendable (Int64) async throws -> Void)] = [
                ("AddNote", { _ = try await client.activities.note(customerID: own, "x", projectID: $0) }),
                ("AddTask", { _ = try await client.activities.task(customerID: own, "x", projectID: $0) }),
                ("UpdateActivity", { _ = try await client.activities.update(UpdateActivityRequest(id: note.id, projectId: $0)) }),
                ("ListActivities", { _ = try await client.activities.list(customerID: own, projectID: $0) }),
            ]
            for (method, call) in calls {
                let theirs = await outcome { try await call(fixture.seed.project) }
                let absent = await outcome { try await call(Self.absentProject) }
                #expect(theirs?.code == .invalidArgument, "\(method): \(String(describing: theirs))")
                #expect(theirs?.code == absent?.code, "\(method): \(String(describing: theirs)) / \(String(describing: absent))")
                #expect(theirs?.message.replacingOccurrences(of: "\(fixture.seed.project)", with: "\(Self.absentProject)")
                    == absent?.message, "\(method)")
            }
            // Nothing was written by the refused calls.
            let activities = try await client.activities.list(customerID: own)
            #expect(activities.planned.isEmpty && activities.done.map(\.id) == [note.id])
            #expect(try await client.activities.list(customerID: own).done.first?.projectId == nil)
        }
    }
}
