import TestSupport
import Foundation
import Testing
@testable import CustomerStore

/// A write is held, on the writer and in its own transaction, to the user its call was admitted
/// as: a deactivation or a new profile that commits while the write waits for the writer refuses
/// it, and it writes nothing (race21's `stateful_races.py --only users`).
@Suite struct AuthorStandingTests {
    /// The race as it happens: the create's call was admitted, then the deactivation reaches the
    /// writer first (queued ahead of the create, in the same group).
    @Test func aCreateQueuedBehindItsAuthorsDeactivationIsRefused() async throws {
        let fixture = try Fixture.withLogTable(groupBudgetNanoseconds: .max)
        let store = fixture.store
        let sales = try store.addUser(uid: 2001, name: "sales", profileName: "Sales")
        let admitted = Author(admitted: try #require(try store.user(id: sales.id)))
        let gate = Gate()
        let leader = try await fixture.startHeldWrite(gate)
        let deactivation = try await fixture.startQueuedCall(queued: 1) {
            try store.setUserActive(userName: "sales", false)
        }
        let create = try await fixture.startQueuedCall(queued: 2) {
            try store.createCustomer(NewCustomer(name: "After the deactivation"), by: admitted)
        }
        gate.open()
        _ = try await leader.value
        #expect(try await deactivation.value.active == false)
        await #expect(throws: StoreError.authorDeactivated(sales.id)) { _ = try await create.value }
        #expect(try fixture.rawCount("SELECT count(*) FROM customers") == 0)
    }

    /// Every other write checks its author through `requireActingUser`: an address, after a
    /// deactivation that committed since the call was admitted.
    @Test func anAddressByAUserDeactivatedSinceAdmissionIsRefused() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Acme")
        let sales = try fixture.store.addUser(uid: 2001, name: "sales", profileName: "Sales")
        let admitted = Author(admitted: sales)
        _ = try fixture.store.setUserActive(userName: "sales", false)
        #expect(throws: StoreError.authorDeactivated(sales.id)) {
            _ = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: admitted)
        }
        #expect(try fixture.store.addresses(customerID: customer.id).isEmpty)
    }

    /// A new profile (here: demoted to Read only) or new rights of the same profile since admission
    /// abort the write; a call admitted afterwards (a retry) writes as its new admission allows.
    @Test func aWriteByAUserWhoseRightsChangedSinceAdmissionIsAborted() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let sales = try store.addUser(uid: 2001, name: "sales", profileName: "Sales")
        let beforeDemotion = Author(admitted: sales)
        let demoted = try store.setUserProfile(userName: "sales", profileName: "Read only")
        #expect(throws: StoreError.authorRightsChanged(sales.id)) {
            _ = try store.createCustomer(NewCustomer(name: "Demoted"), by: beforeDemotion)
        }

        let promoted = try store.setUserProfile(userName: "sales", profileName: "Sales")
        let beforeEdit = Author(admitted: promoted)
        _ = try store.updateProfile(named: "Sales", ProfileChanges(financialFigures: false), expectedVersion: nil)
        #expect(throws: StoreError.authorRightsChanged(sales.id)) {
            _ = try store.createCustomer(NewCustomer(name: "Rights edited"), by: beforeEdit)
        }
        #expect(try fixture.rawCount("SELECT count(*) FROM customers") == 0)

        let retried = try store.createCustomer(NewCustomer(name: "Retried"),
                                               by: Author(admitted: try #require(try store.user(id: sales.id))))
        #expect(retried.createdBy == sales.ref && demoted.profile.id != promoted.profile.id)
    }

    /// A write made through a trusted service (`viaUserID`) is held to the service too: deactivated
    /// since admission, or no longer trusted, and the write (a create, an address) is refused,
    /// naming the service; the person's own standing is unchanged (standing22: only the person was
    /// read before, so the service's writes went on after its deactivation was acknowledged).
    @Test func aWriteThroughAServiceDeactivatedOrUntrustedSinceAdmissionIsRefused() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Acme")
        let sales = try store.addUser(uid: 2001, name: "sales", profileName: "Sales")
        let service = try store.addUser(uid: 2002, name: "web", profileName: "Read only")
        _ = try store.setTrustedService(userName: "web", true)
        let through = Author(admitted: sales, via: service.id)

        _ = try store.setTrustedService(userName: "web", false)
        #expect(throws: StoreError.authorRightsChanged(service.id)) {
            _ = try store.createCustomer(NewCustomer(name: "Through an untrusted service"), by: through)
        }
        _ = try store.setTrustedService(userName: "web", true)
        _ = try store.setUserActive(userName: "web", false)
        #expect(throws: StoreError.authorDeactivated(service.id)) {
            _ = try store.createCustomer(NewCustomer(name: "Through a deactivated service"), by: through)
        }
        #expect(throws: StoreError.authorDeactivated(service.id)) {
            _ = try store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: through)
        }
        #expect(try fixture.rawCount("SELECT count(*) FROM customers") == 1)
        #expect(try store.addresses(customerID: customer.id).count == 0)

        _ = try store.setUserActive(userName: "web", true)
        let written = try store.createCustomer(NewCustomer(name: "Through the service again"), by: through)
        #expect(written.createdBy == sales.ref)
    }
}

