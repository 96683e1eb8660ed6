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

    /// A user named again on a page is written as a copy of its first reference
    /// (`BinaryWriter.write(_:user:)`): pages naming more users than the writer remembers, as
    /// account manager, creator and updater, among customers short and long (so the lengths
    /// before them take other widths than guessed), are still the encoded response of their
    /// records; a user's non-ASCII name of 64 characters included.
    @Test func aPageNamingManyUsersIsTheEncodedResponseOfItsRecords() async throws {
        try await StoreOfTwoUsers.with("writing pages that name many users") { fixture in
            let store = fixture.store
            var users = [fixture.admin, fixture.manager]
            for index in 0..<5 {
                let name = index == 0 ? String(repeating: "Åsa-Märta ", count: 6) + "Ö" : "user \(index)"
                users.append(try store.addUser(uid: 2000 + UInt32(index), name: name))
            }
            for index in 0..<23 {
                let customer = try store.createCustomer(NewCustomer(
                    name: "Kunde \(index) ÄÖ", accountManagerID: index % 4 == 0 ? nil : users[index % users.count].id,
                    description: index % 3 == 0 ? String(repeating: "lang beskrivning ", count: 12) : nil,
                    country: "SE"), by: .user(users[(index + 3) % users.count].id))
                if index % 2 == 1 {
                    _ = try store.updateCustomer(id: customer.id, CustomerChanges(phone: "+46 8 123 \(index)"),
                                                 expectedVersion: customer.version, by: .user(users[(index + 5) % users.count].id))
                }
            }
            for limit in [50, 4] {
                var token: String?
                var pages = 0
                repeat {
                    let records = try store.listCustomers(CustomerFilter(), order: .byNumber, limit: limit, pageToken: token)
                    let expected = try BinaryEncoder().encode(ListCustomersResponse(
                        customers: records.customers.map { Customer($0) }, nextPageToken: records.nextPageToken))
                    let written = try store.encodedPage(CustomerFilter(), order: .byNumber, limit: limit, pageToken: token)
                    #expect(written.bytes == expected, "page \(pages + 1) of \(limit)")
                    token = records.nextPageToken
                    pages += 1
                } while token != nil && pages < 10
                #expect(pages == (23 + limit - 1) / limit)
            }
        }
    }
}
