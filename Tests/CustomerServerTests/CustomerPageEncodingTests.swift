import BinaryCoding
import CustomerAPI
@testable import CustomerServer
import CustomerStore
import Foundation
import TestSupport
import Testing

/// A page written straight from the store's rows (`CustomerStore.encodedPage`) is byte for byte
/// the `ListCustomersResponse` of the same page built from stored records and encoded: every
/// optional field set and unset, non-ASCII text, an account manager, a tombstone, and the tokens
/// of later pages.
@Suite struct CustomerPageEncodingTests {
    @Test func aPageWrittenFromItsRowsIsTheEncodedResponseOfItsRecords() async throws {
        try await StoreOfTwoUsers.with("writing pages from their rows") { fixture in
            let (store, manager, author) = (fixture.store, fixture.manager, fixture.author)
            _ = try store.createCustomer(NewCustomer(name: "Plain Oy"), by: author)
            _ = try fixture.createFullCustomer()
            let gone = try store.createCustomer(NewCustomer(name: "Erased Oy", email: "gone@example.fi"), by: author)
            // Referred to by a note, so deleting leaves its tombstone.
            _ = try store.addNote(customerID: gone.id, text: "kept", contactID: nil, by: author)
            try store.deleteCustomer(id: gone.id, by: author)
            for index in 1...7 {
                _ = try store.createCustomer(NewCustomer(name: "Customer \(index)", accountManagerID: index % 2 == 0 ? manager.id : nil,
                                                         country: "FI"), by: author)
            }
            // Every customer; the tombstone only to those who sync changes (`changedSince`).
            let listings = [(CustomerFilter(status: .all), 3), (CustomerFilter(status: .all, changedSince: Date(timeIntervalSince1970: 1)), 4)]
            for (filter, pageCount) in listings {
            for order in [CustomerOrder.byName, .byNumber] {
                var token: String?
                var pages = 0
                repeat {
                    let records = try store.listCustomers(filter, order: order, limit: 3, pageToken: token)
                    let expected = try BinaryEncoder().encode(ListCustomersResponse(
                        customers: records.customers.map { Customer($0) }, nextPageToken: records.nextPageToken))
                    let written = try store.encodedPage(filter, order: order, limit: 3, pageToken: token)
                    #expect(written.bytes == expected, "page \(pages + 1) in \(order)")
                    #expect(!records.customers.isEmpty)
                    token = records.nextPageToken
                    pages += 1
                } while token != nil && pages < 10
                #expect(pages == pageCount, "pages of 3 in \(order), tombstone listed: \(filter.changedSince != nil)")
            }
            }
            // A filter that matches nothing: an empty message, as an empty response encodes.
            let none = try store.encodedPage(CustomerFilter(search: "no such customer"), order: .byName, limit: 50, pageToken: nil)
            #expect(none.bytes == (try BinaryEncoder().encode(ListCustomersResponse(customers: [], nextPageToken: nil))))
            #expect(none.bytes.isEmpty)
        }
    }
}
