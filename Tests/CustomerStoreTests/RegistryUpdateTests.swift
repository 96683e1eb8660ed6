import Foundation
import Testing
@testable import CustomerStore

/// `applyRegistryUpdate`: one transaction, the head office updated or added, the source in the history.
@Suite struct RegistryUpdateTests {
    static let source = "registry: Test registry http://127.0.0.1/x"
    static let karakaari = RegistryHeadOffice(street: ["Karakaari 7"], postalCode: "02610", city: "ESPOO",
                                              country: "FI", kind: .visiting)

    @Test func fieldsAndANewHeadOfficeAreWrittenWithTheSourceInEveryHistoryEntry() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Acme Oy", email: "info@acme.fi", country: "FI")
        let after = try fixture.store.applyRegistryUpdate(
            customerID: customer.id,
            RegistryUpdate(name: "Nokia Oyj", website: "www.nokia.com", headOffice: Self.karakaari, source: Self.source),
            expectedVersion: customer.version, by: .user(fixture.admin.id))

        #expect(after.name == "Nokia Oyj")
        #expect(after.website == "https://www.nokia.com")
        #expect(after.email == "info@acme.fi")
        let office = try #require(after.headOffice)
        #expect(office.street == ["Karakaari 7"])
        #expect(office.kind == .visiting)
        #expect(after.version == customer.version + 2)  // the update and the new head office

        let history = try fixture.store.history(.customer, id: customer.id)
        #expect(history.map(\.action) == ["created", "updated", "headOfficeSet"])
        #expect(history.map(\.source) == [nil, Self.source, Self.source])
        #expect(try fixture.store.history(.address, id: office.id).map(\.source) == [Self.source])
    }

    @Test func anExistingHeadOfficeIsUpdatedKeepingItsKindAndRegion() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Acme Oy", country: "FI")
        let head = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(
            street1: "Old 1", street2: "B", street3: "C", postalCode: "00100", city: "Helsinki", region: "Uusimaa",
            country: "FI", kind: .billing), by: .user(fixture.admin.id))
        let long = RegistryHeadOffice(street: ["c/o X", "Street 2", "PL 3", "Extra 4"], postalCode: nil, city: "ESPOO",
                                      country: "FI", kind: .postal)
        let after = try fixture.store.applyRegistryUpdate(
            customerID: customer.id, RegistryUpdate(headOffice: long, source: Self.source),
            expectedVersion: nil, by: .user(fixture.admin.id))

        let office = try #require(after.headOffice)
        #expect(office.id == head.id)
        #expect(office.street == ["c/o X", "Street 2", "PL 3, Extra 4"])
        #expect(office.postalCode == nil)
        #expect(office.city == "ESPOO")
        #expect(office.region == "Uusimaa")
        #expect(office.kind == .billing)
        #expect(after.version == customer.version + 1)  // only the head office's first setting
        let entries = try fixture.store.history(.address, id: head.id)
        #expect(entries.map(\.source) == [nil, Self.source])
    }

    @Test func aCustomerChangedSinceTheRefreshWasComputedIsRefusedAndNothingIsWritten() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Acme Oy", country: "FI")
        _ = try fixture.store.updateCustomer(id: customer.id, CustomerChanges(email: "x@acme.fi"),
                                             expectedVersion: nil, by: .user(fixture.admin.id))
        let error = storeError {
            _ = try fixture.store.applyRegistryUpdate(
                customerID: customer.id, RegistryUpdate(name: "Nokia Oyj", headOffice: Self.karakaari, source: Self.source),
                expectedVersion: customer.version, by: .user(fixture.admin.id))
        }
        guard case .aborted = error else {
            Issue.record("expected aborted, got \(String(describing: error))")
            return
        }
        #expect(try fixture.store.customer(id: customer.id).name == "Acme Oy")
        #expect(try fixture.store.addresses(customerID: customer.id).isEmpty)
    }
}
