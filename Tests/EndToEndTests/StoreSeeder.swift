// Only the store here: its record names (ContactFields, ...) would clash with the API's.
import CustomerStore
import Foundation
import Glibc

/// Fills a database file straight through the store, before a server opens it: the fast way to
/// make large data sets for tests that then read them through the server.
enum StoreSeeder {
    /// Customers with contacts that all carry `keyword`; returns the contact ids in mailing-list
    /// order (customer name, then contact id). The running OS user becomes the administrator.
    static func seedMailingList(databasePath: String, customers: Int, contactsEach: Int, keyword: String) throws -> [Int64] {
        let store = try CustomerStore(path: databasePath)
        defer { store.close() }
        let admins = try store.bootstrap(administrators: [(uid: getuid(), name: "tester")])
        guard let me = admins.first?.id else { throw StoreError.notFound("no administrator was made") }
        _ = try store.createLabel(.keyword, name: keyword)
        var ids: [Int64] = []
        for customerIndex in 0..<customers {
            let customer = try store.createCustomer(NewCustomer(name: String(format: "Customer %05d", customerIndex)), by: .user(me))
            for contactIndex in 0..<contactsEach {
                let contact = try store.createContact(
                    customerID: customer.id,
                    StoredContactFields(firstName: "Person \(contactIndex)", email: "p\(contactIndex)@c\(customerIndex).example"),
                    keywords: [keyword], roles: [], by: .user(me))
                ids.append(contact.id)
            }
        }
        return ids
    }
}
