import TestSupport
import Foundation
import Testing
@testable import CustomerStore

/// `updateCustomer(managedBy:)`: an update by a caller who may edit only its own customers runs
/// only while the customer is still the caller's. The server's permission check reads the account
/// manager on a reader before the call; the write comes later, after whatever the writer ran first.
@Suite struct ManagedUpdateTests {
    /// The administrator hands the customer to a colleague, and the former account manager's update
    /// naming itself (checked while the customer was its own) runs right after, in the same group:
    /// it is refused and changes nothing, so the customer stays the colleague's. Without the check
    /// in the write, the update took the customer back (contrib/hostile's race: 26 of 40 rounds
    /// over the wire, docs/HARDENING.md).
    @Test func anUpdateByTheFormerManagerIsRefusedOnceTheCustomerWasGivenAway() async throws {
        let fixture = try Fixture.withLogTable()
        let sales = try fixture.store.addUser(uid: 2001, name: "sales", profileName: "Sales")
        let colleague = try fixture.store.addUser(uid: 2002, name: "colleague", profileName: "Sales")
        let customer = try fixture.store.createCustomer(NewCustomer(name: "Contested Oy", accountManagerID: sales.id),
                                                        by: .user(fixture.admin.id))
        let gate = Gate()
        let held = try await fixture.startHeldWrite(gate)
        let givenAway = ThreadTask {
            try fixture.store.updateCustomer(id: customer.id, CustomerChanges(accountManagerID: .some(colleague.id)),
                                             expectedVersion: nil, by: .user(fixture.admin.id))
        }
        try await fixture.waitUntilQueued(1)
        let takenBack = ThreadTask {
            try fixture.store.updateCustomer(id: customer.id, CustomerChanges(accountManagerID: .some(sales.id)),
                                             expectedVersion: nil, managedBy: sales.id, by: .user(sales.id))
        }
        try await fixture.waitUntilQueued(2)
        gate.open()

        #expect(try await held.value == 1)
        #expect(try await givenAway.value.accountManager?.id == colleague.id)
        let refused = await #expect(throws: StoreError.self) { try await takenBack.value }
        guard case .aborted(let message, "id") = refused else {
            Issue.record("the former manager's update: \(String(describing: refused))")
            return
        }
        #expect(message.contains("another account manager"))
        let stored = try fixture.store.customer(id: customer.id)
        #expect(stored.accountManager?.id == colleague.id && stored.version == 2)
        #expect(try fixture.store.history(.customer, id: customer.id).map(\.action) == ["created", "updated"])
    }

    /// While the customer is the caller's, `managedBy` changes nothing of an update.
    @Test func anUpdateOfTheCallersOwnCustomerRuns() throws {
        let fixture = try Fixture()
        let sales = try fixture.store.addUser(uid: 2001, name: "sales", profileName: "Sales")
        let customer = try fixture.store.createCustomer(NewCustomer(name: "Own Oy", accountManagerID: sales.id),
                                                        by: .user(sales.id))
        let updated = try fixture.store.updateCustomer(id: customer.id, CustomerChanges(description: "Visited"),
                                                       expectedVersion: 1, managedBy: sales.id, by: .user(sales.id))
        #expect(updated.description == "Visited" && updated.accountManager?.id == sales.id && updated.version == 2)
    }
}
