// Only the store here: its record names would clash with the API's.
import CustomerStore
import Foundation
import Glibc

/// Writes customers straight through a store without VAT number rules, as a server from before
/// them did, so tests can show what the server does with such stored numbers.
enum LegacyCustomerSeeder {
    /// Creates the database in a fresh directory with one customer; returns the directory and its id.
    static func seed(name: String, vatNumber: String, country: String) throws -> (directory: URL, id: Int64) {
        let directory = try TestServer.makeTemporaryDirectory()
        let store = try CustomerStore(path: directory.appendingPathComponent("customers.sqlite").path)
        defer { store.close() }
        let admins = try store.bootstrap(administrators: [(uid: getuid(), name: "tester")])
        guard let me = admins.first?.id else { throw StoreError.notFound("no administrator was made") }
        let customer = try store.createCustomer(NewCustomer(name: name, vatNumber: vatNumber, country: country), by: .user(me))
        return (directory, customer.id)
    }
}
