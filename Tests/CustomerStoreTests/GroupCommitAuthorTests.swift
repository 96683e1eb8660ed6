import TestSupport
import Foundation
import Testing
@testable import CustomerStore

/// Every write in a commit group records its own author: the members run on the leader's thread,
/// so nothing about who wrote may come from the thread or task that runs the body.
@Suite struct GroupCommitAuthorTests {
    /// A person's write leads; a service's write (acting for another person) and a person's own
    /// write queue behind it and share the next transaction. Each history entry names its own
    /// person and, only for the service's write, the service.
    @Test func aServicesWriteAndAPersonsWriteInOneGroupRecordTheirOwnAuthors() async throws {
        // No time budget: the two writes must share one group however busy the machine is.
        let fixture = try Fixture.withLogTable(groupBudgetNanoseconds: .max)
        let store = fixture.store
        let service = try store.addUser(uid: 1500, name: "web")
        // Only a trusted service acts for someone: the writer holds its writes to that (standing22).
        _ = try store.setTrustedService(userName: "web", true)
        let gate = Gate()
        let leader = try await fixture.startHeldWrite(gate)
        let before = store.writer.statistics
        let throughService = try await fixture.startQueuedCall(queued: 1) {
            try store.createCustomer(NewCustomer(name: "Through the web"),
                                     by: Author(userID: fixture.other.id, via: service.id))
        }
        let byPerson = try await fixture.startQueuedCall(queued: 2) {
            try store.createCustomer(NewCustomer(name: "Typed by alice"), by: .user(fixture.admin.id))
        }
        gate.open()
        _ = try await leader.value
        let serviceCustomer = try await throughService.value
        let personCustomer = try await byPerson.value
        // Both queued writes ran in one group (the leader's own group had formed before they queued).
        let after = store.writer.statistics
        #expect(after.groups - before.groups == 2 && after.writes - before.writes == 3)

        // The customers as answered name their own authors too (the batch reads each name once a group).
        #expect(serviceCustomer.createdBy == fixture.other.ref && serviceCustomer.updatedBy == fixture.other.ref)
        #expect(personCustomer.createdBy == fixture.admin.ref && personCustomer.updatedBy == fixture.admin.ref)

        let serviceEntry = try #require(try store.history(.customer, id: serviceCustomer.id).first)
        #expect(serviceEntry.by == fixture.other.ref)
        #expect(serviceEntry.via == service.ref)
        let personEntry = try #require(try store.history(.customer, id: personCustomer.id).first)
        #expect(personEntry.by == fixture.admin.ref)
        #expect(personEntry.via == nil)
    }
}

extension Fixture {
    /// Starts a store call on its own thread while the writer is held, and returns once its write
    /// is queued (the writer then has `queued` calls waiting).
    func startQueuedCall<T: Sendable>(queued: Int, _ body: @escaping @Sendable () throws -> T) async throws -> ThreadTask<T> {
        let task = ThreadTask(body)
        try await waitUntilQueued(queued)
        return task
    }
}
