// Only the store here, @testable: its record names would clash with the API's.
@testable import CustomerStore
import Foundation
import Glibc

/// Fills a database with many customers in one statement, before a server opens it: a search no
/// customer matches then scans them all, the most expensive honest read there is.
enum ScanSeeder {
    /// `count` customers with long names (numbers from 1), this process's user as administrator.
    static func seed(databasePath: String, customers count: Int) throws {
        let store = try CustomerStore(path: databasePath)
        defer { store.close() }
        _ = try store.bootstrap(administrators: [(uid: getuid(), name: "tester")])
        let filler = String(repeating: "scanned customer name ", count: 8)
        try store.write { connection in
            try connection.run("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
                INSERT INTO customers (number, name, name_key, search_text, created_at, created_by, updated_at, updated_by)
                SELECT i, 'Customer ' || i, 'customer ' || i, 'customer ' || i || ' ' || ?2, 1000, 1, 1000, 1 FROM n
                """, [.integer(Int64(count)), .text(filler)])
        }
    }
}
