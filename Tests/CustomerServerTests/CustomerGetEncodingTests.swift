import BinaryCoding
import CustomerAPI
@testable import CustomerServer
import CustomerStore
import Foundation
import TestSupport
import Testing

/// A get's answer written straight from the customer's row (`CustomerStore.encodedCustomer`, by id
/// and by number) is byte for byte the stored record made into a `Customer` and encoded: every
/// optional field set and unset, non-ASCII text, an account manager, a head office with three
/// street lines and one with none, and an erased customer's tombstone.
@Suite struct CustomerGetEncodingTests {
    @Test func aGetWrittenFromItsRowIsTheEncodedCustomerOfItsRecord() async throws {
        try await StoreOfTwoUsers.with("writing gets from their rows") { fixture in
            let (store, author) = (fixture.store, fixture.author)
            let plain = try store.createCustomer(NewCustomer(name: "Plain Oy"), by: author)
            let full = try fixture.createFullCustomer()
            // The first address becomes the head office.
            _ = try store.addAddress(customerID: full.id, StoredAddressFields(
                street1: "c/o Öberg", street2: "Box 12", street3: "Plan 3", postalCode: "FI-00100", city: "Helsingfors",
                region: "Nyland", country: "FI", kind: .billing), by: author)
            _ = try store.addAddress(customerID: full.id, StoredAddressFields(city: "Malmö", country: "SE", kind: .postal), by: author)
            let bareOffice = try store.createCustomer(NewCustomer(name: "Kontor utan gata"), by: author)
            _ = try store.addAddress(customerID: bareOffice.id, StoredAddressFields(city: "Umeå", country: "SE", kind: .visiting), by: author)
            let gone = try store.createCustomer(NewCustomer(name: "Erased Oy", email: "gone@example.fi"), by: author)
            _ = try store.addAddress(customerID: gone.id, StoredAddressFields(city: "Oulu", country: "FI"), by: author)
            // Referred to by a note, so deleting leaves its tombstone.
            _ = try store.addNote(customerID: gone.id, text: "kept", contactID: nil, by: author)
            try store.deleteCustomer(id: gone.id, by: author)

            var shapes: [String: Int] = [:]
            for id in [plain.id, full.id, bareOffice.id, gone.id] {
                let stored = try store.customer(id: id)
                let expected = try BinaryEncoder().encode(Customer(stored))
                #expect(try store.encodedCustomer(id: id).bytes == expected, "customer \(id) by id")
                let byNumber = try store.encodedCustomer(number: stored.number)
                #expect(byNumber.id == id)
                #expect(byNumber.customer.bytes == expected, "customer \(id) by number")
                shapes[stored.deleted ? "tombstone" : stored.headOffice == nil ? "no head office" : "head office", default: 0] += 1
            }
            // The shapes the comparison is about are there: not a test of four plain customers.
            #expect(shapes == ["no head office": 1, "head office": 2, "tombstone": 1])
            #expect(try store.customer(id: full.id).headOffice?.street.count == 3)
        }
    }

    @Test func aCustomerNoGetFindsIsRefusedInTheStoresWords() async throws {
        try await StoreOfTwoUsers.with("gets of no customer") { fixture in
            #expect(throws: StoreError.notFound("customer 4711 does not exist")) { try fixture.store.encodedCustomer(id: 4711) }
            #expect(throws: StoreError.notFound("no customer has number 4711", field: "number")) { try fixture.store.encodedCustomer(number: 4711) }
        }
    }
}
