// Only the store here: its record names would clash with the API's.
import Foundation
@testable import CustomerStore

/// Puts text into a database that today's validators refuse, as a server from before them
/// stored it, so tests can show what clients do with such stored text.
enum LegacyTextSeeder {
    /// A database in a fresh directory with one customer named `name`; returns the directory and its id.
    static func seed(customerName name: String) throws -> (directory: URL, id: Int64) {
        let (directory, id) = try LegacyCustomerSeeder.seed(name: "Placeholder", vatNumber: "FI01120389", country: "FI")
        let store = try CustomerStore(path: directory.appendingPathComponent("customers.sqlite").path)
        defer { store.close() }
        try store.write { try $0.run("UPDATE customers SET name = ? WHERE id = ?", [.text(name), .integer(id)]) }
        return (directory, id)
    }
}
