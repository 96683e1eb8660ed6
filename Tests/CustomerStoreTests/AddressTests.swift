import Foundation
import Synchronization
import TestSupport
import Testing
@testable import CustomerStore

@Suite struct AddressTests {
    /// A lent row reads its `kind` column's bytes without a `String`: the same kind as
    /// `AddressKind(rawValue:) ?? .visiting` for every case and for texts that are none.
    @Test(arguments: AddressKind.allCases.map(\.rawValue) + ["", "p", "postals", "Postal", "billin", "deliverx", "x", "visiting "])
    func aStoredKindReadsAsItsRawValueDoes(_ text: String) {
        let read = Array(text.utf8).withUnsafeBytes { AddressKind(storedText: $0) }
        #expect(read == AddressKind(rawValue: text) ?? .visiting)
    }

    @Test func firstAddressBecomesHeadOfficeAndTheCustomerShowsIt() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Alpha Oy")
        fixture.clock.advance(milliseconds: 10)
        let first = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(
            street1: " Mannerheimintie 1 ", street2: "", postalCode: "00100", city: "Helsinki", country: "fi"),
            by: .user(fixture.other.id))
        #expect(first.isHeadOffice && first.version == 1 && first.kind == .visiting)
        #expect(first.street == ["Mannerheimintie 1"] && first.country == "FI" && first.region == nil)
        #expect(first.createdBy == fixture.other.ref && first.createdAt == fixture.clock.now)
        let second = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "SE", kind: .billing),
                                                  by: .user(fixture.admin.id))
        #expect(!second.isHeadOffice)

        let read = try fixture.store.customer(id: customer.id)
        #expect(read.headOffice == first)
        #expect(try fixture.store.customer(number: customer.number).headOffice == first)
        // Assigning the head office is a write of the customer; adding the second address is not.
        #expect(read.version == 2 && read.updatedBy == fixture.other.ref)
        #expect(try fixture.store.addresses(customerID: customer.id) == [first, second])
        #expect(try fixture.store.headOffice(customerID: customer.id) == first)
    }

    @Test func movingTheHeadOfficeKeepsExactlyOne() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Beta")
        let first = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "NO"), by: .user(fixture.admin.id))
        let second = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "NO"), by: .user(fixture.admin.id))
        let moved = try fixture.store.setHeadOffice(addressID: second.id, by: .user(fixture.other.id))
        #expect(moved.map(\.id) == [second.id, first.id])
        #expect(moved.map(\.isHeadOffice) == [true, false])
        #expect(try fixture.store.customer(id: customer.id).headOffice?.id == second.id)
        let again = try fixture.store.setHeadOffice(addressID: second.id, by: .user(fixture.other.id))
        #expect(again == moved)
        #expect(throws: StoreError.notFound("address 99 does not exist")) {
            try fixture.store.setHeadOffice(addressID: 99, by: .user(fixture.admin.id))
        }
    }

    @Test func removingTheHeadOfficeWhileOthersExistIsRefusedAndChangesNothing() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Gamma")
        let head = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        let other = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        let before = try fixture.store.customer(id: customer.id)
        #expect(throws: StoreError.failedPrecondition("address \(head.id) is the head office of customer \(customer.id): "
            + "move the head office to another address first (SetHeadOffice)", field: "id")) {
            try fixture.store.removeAddress(id: head.id, by: .user(fixture.admin.id))
        }
        #expect(try fixture.store.customer(id: customer.id) == before)
        #expect(try fixture.store.addresses(customerID: customer.id) == [head, other])

        try fixture.store.removeAddress(id: other.id, by: .user(fixture.admin.id))
        try fixture.store.removeAddress(id: head.id, by: .user(fixture.admin.id))
        #expect(try fixture.store.addresses(customerID: customer.id) == [])
        let after = try fixture.store.customer(id: customer.id)
        #expect(after.headOffice == nil && after.version == before.version + 1)
        // A new first address becomes the head office again.
        let next = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        #expect(next.isHeadOffice)
    }

    @Test func updateChangesGivenFieldsAndPacksStreetLines() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Delta")
        let address = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(
            street1: "c/o Delta", street2: "Main Street 5", postalCode: "12345", city: "Oslo", country: "NO"),
            by: .user(fixture.admin.id))
        fixture.clock.advance(milliseconds: 5)
        let updated = try fixture.store.updateAddress(id: address.id, StoredAddressFields(street1: "", city: "Bergen", kind: .postal),
                                                      expectedVersion: 1, by: .user(fixture.other.id))
        #expect(updated.street == ["Main Street 5"] && updated.city == "Bergen" && updated.postalCode == "12345")
        #expect(updated.kind == .postal && updated.version == 2 && updated.updatedBy == fixture.other.ref)
        #expect(updated.updatedAt == fixture.clock.now && updated.createdAt == address.createdAt)
        #expect(throws: StoreError.self) {
            try fixture.store.updateAddress(id: address.id, StoredAddressFields(city: "Lost"), expectedVersion: 1, by: .user(fixture.admin.id))
        }
        #expect(try fixture.store.addresses(customerID: customer.id) == [updated])
    }

    @Test(arguments: [
        (StoredAddressFields(), ["country"]),
        (StoredAddressFields(country: "XX"), ["country"]),
        (StoredAddressFields(street1: String(repeating: "a", count: 201), street3: String(repeating: "b", count: 201),
                       postalCode: String(repeating: "1", count: 21), city: String(repeating: "c", count: 101),
                       region: String(repeating: "r", count: 101), country: "FI"),
         ["street1", "street3", "postalCode", "city", "region"]),
    ])
    func invalidAddressListsEveryField(fields: StoredAddressFields, expected: [String]) throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Epsilon")
        #expect(violations { _ = try fixture.store.addAddress(customerID: customer.id, fields, by: .user(fixture.admin.id)) }?
            .map(\.field) == expected)
        #expect(try fixture.store.addresses(customerID: customer.id) == [])
    }

    @Test func countryCannotBeClearedAndUnknownRecordsAreNotFound() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Zeta")
        let address = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        #expect(violations {
            _ = try fixture.store.updateAddress(id: address.id, StoredAddressFields(country: " "), expectedVersion: nil,
                                            by: .user(fixture.admin.id))
        }?.map(\.field) == ["country"])
        #expect(throws: StoreError.notFound("customer 99 does not exist", field: "customerId")) {
            try fixture.store.addAddress(customerID: 99, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        }
        #expect(throws: StoreError.notFound("customer 99 does not exist", field: "customerId")) { try fixture.store.addresses(customerID: 99) }
        #expect(throws: StoreError.notFound("address 99 does not exist")) {
            try fixture.store.removeAddress(id: 99, by: .user(fixture.admin.id))
        }
    }

    @Test func invoicingReadinessNamesWhatIsMissing() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Eta")
        let bare = try fixture.store.invoicingReadiness(customerID: customer.id)
        #expect(bare == StoredInvoicingReadiness(missing: ["headOffice", "vatNumber"], headOffice: nil, vatNumber: nil))
        let head = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        _ = try fixture.store.updateCustomer(id: customer.id, CustomerChanges(vatNumber: "FI12345671"),
                                             expectedVersion: nil, by: .user(fixture.admin.id))
        let ready = try fixture.store.invoicingReadiness(customerID: customer.id)
        #expect(ready == StoredInvoicingReadiness(missing: [], headOffice: head, vatNumber: "FI12345671"))
    }

    @Test func deletingTheCustomerTakesItsAddresses() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Theta")
        let address = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        _ = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        try fixture.store.deleteCustomer(id: customer.id, by: .user(fixture.admin.id))
        #expect(throws: StoreError.notFound("address \(address.id) does not exist")) {
            try fixture.store.updateAddress(id: address.id, StoredAddressFields(), expectedVersion: nil, by: .user(fixture.admin.id))
        }
        #expect(try fixture.rawCount("SELECT count(*) FROM addresses") == 0)
    }

    /// Several threads move the head office of one customer at once: afterwards exactly one
    /// address is the head office and every move was recorded.
    @Test func concurrentMovesNeverLeaveTwoOrNone() async throws {
        let fixture = try Fixture(readerCount: 2)
        let customer = try fixture.create("Iota")
        let addresses = try (0..<4).map { _ in
            try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        }
        let failures = Mutex<[String]>([])
        _ = try await onThreads(4) { worker in
            do {
                for step in 0..<25 {
                    let target = addresses[(worker + step) % addresses.count]
                    let result = try fixture.store.setHeadOffice(addressID: target.id, by: .user(fixture.admin.id))
                    if result.filter(\.isHeadOffice).count != 1 { throw StoreError.aborted("not exactly one", field: "id") }
                    if try fixture.store.addresses(customerID: customer.id).filter(\.isHeadOffice).count != 1 {
                        throw StoreError.aborted("not exactly one in a read", field: "id")
                    }
                }
            } catch {
                failures.withLock { $0.append("worker \(worker): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(try fixture.store.addresses(customerID: customer.id).filter(\.isHeadOffice).count == 1)
        let moves = try fixture.store.history(.customer, id: customer.id).filter { $0.action == "headOfficeSet" }
        #expect(Int64(moves.count) == (try fixture.store.customer(id: customer.id)).version - 1)
    }
}
