import CustomerStore
import Foundation
import Glibc
import SQLiteEngine

/// The temporary database a self-started server runs on, seeded before the server starts.
///
/// Customers go in through `CustomerStore.createCustomers` (validation, name keys, numbers: the
/// real write path, in bulk transactions); their addresses, contacts and activities through
/// `INSERT ... SELECT` over the customers, one statement per kind, on the engine's connection,
/// because the store only adds them one call and one transaction at a time (minutes for a
/// million rows instead of seconds): the one place the bench writes SQL against the schema.
/// The schema's triggers still run: the first address becomes each customer's head office.
struct BenchDatabase {
    let directory: String
    var path: String { directory + "/customers.sqlite" }
    /// A copy for the in-process SQLite floor, so the floor never shares a file (or its locks) with the server.
    var floorCopyPath: String { directory + "/floor-copy.sqlite" }
    var socketPath: String { directory + "/customerd.sock" }

    static func makeTemporary() throws -> BenchDatabase {
        let directory = FileManager.default.temporaryDirectory.path + "/customer-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return BenchDatabase(directory: directory)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Creates `customers` customers with 2 addresses, 3 contacts and 5 activities each, then copies the file.
    func seed(customers: Int) throws {
        let store = try CustomerStore(path: path)
        let name = getpwuid(getuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "bench"
        // The server's own bootstrap does nothing once a user exists, so the caller's uid must be
        // the administrator here: the identity interceptor maps the connecting uid to this user.
        let users = try store.bootstrap(administrators: [(uid: getuid(), name: name)])
        guard let user = users.first else { throw BenchFailure("the fresh database already had users") }
        var generator = SystemRandomNumberGenerator()
        let batchSize = 10_000
        var created = 0
        while created < customers {
            let count = min(batchSize, customers - created)
            let batch = (0..<count).map { offset in
                NewCustomer(name: Self.companyName(created + offset, using: &generator), country: "FI",
                            email: "office\(created + offset)@example.com", phone: "+358 9 \(100_000 + created + offset)")
            }
            try store.createCustomers(batch, by: .user(user.id))
            created += count
        }
        // A server that ran a while has its search index caught up; one started on a database
        // whose index is behind by every seeded customer indexes them meanwhile, in the measured calls.
        try store.catchUpSearchIndex()
        store.close()
        try addChildren(userID: user.id)
        try FileManager.default.copyItem(atPath: path, toPath: floorCopyPath)
    }

    /// A varied name, so the by-name order is not the id order.
    static func companyName(_ index: Int, using generator: inout SystemRandomNumberGenerator) -> String {
        let first = ["Aalto", "Berg", "Koski", "Lahti", "Mäki", "Niemi", "Oja", "Salo", "Virta", "Vuori"]
        let second = ["Consulting", "Systems", "Trading", "Logistics", "Design", "Partners", "Works", "Labs"]
        return "\(first.randomElement(using: &generator) ?? "Oy") \(second.randomElement(using: &generator) ?? "Ab") \(index)"
    }

    private func addChildren(userID: Int64) throws {
        let connection = try SQLiteConnection(path: path, role: .writer, busyTimeoutMilliseconds: 5_000)
        defer { connection.close() }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let stamps = "\(now), \(userID), \(now), \(userID)"
        let statements = ["visiting", "postal"].map { kind in
                """
                INSERT INTO addresses (customer_id, street1, postal_code, city, country, kind,
                                       created_at, created_by, updated_at, updated_by)
                SELECT id, 'Mannerheimintie ' || id, '00100', 'Helsinki', 'FI', '\(kind)', \(stamps) FROM customers
                """
            }
            + ["Anna", "Bertil", "Cecilia"].map { first in
                """
                INSERT INTO contacts (customer_id, first_name, last_name, title, email, phone,
                                      created_at, created_by, updated_at, updated_by)
                SELECT id, '\(first)', 'Person ' || id, 'CFO', '\(first.lowercased())' || id || '@example.com',
                       '+358 40 ' || id, \(stamps) FROM customers
                """
            }
            + (1...5).map { number in
                """
                INSERT INTO activities (customer_id, kind, subject, created_at, created_by, updated_at, updated_by)
                SELECT id, 'note', 'Meeting note \(number) about the renewal of the frame agreement', \(stamps)
                FROM customers
                """
            }
        try connection.transaction("BEGIN IMMEDIATE") {
            for sql in statements { try connection.execute(sql) }
        }
        // Folds the WAL into the main file, so the copy is complete and the server starts clean.
        try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
