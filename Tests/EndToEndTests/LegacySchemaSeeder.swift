// Only the store here, @testable: its record names would clash with the API's.
@testable import CustomerStore
import Foundation
import Glibc
import SQLiteEngine

/// Writes a database as a server of schema version 9 left it (before `business_id`), so a test can
/// start today's server on it and see what the upgrade makes of the old rows.
enum LegacySchemaSeeder {
    /// A fresh directory with a version-9 database: this process's user as administrator and one
    /// customer per `(name, vatNumber, country)`, in order, with ids from 1.
    static func version9(customers: [(name: String, vatNumber: String?, country: String?)]) throws -> URL {
        try database(version: 9) { connection in
            try connection.run("""
                INSERT INTO users (id, uid, name, is_administrator, active, created_at) VALUES (1, ?, 'tester', 1, 1, 0)
                """, [.integer(Int64(getuid()))])
            for (index, customer) in customers.enumerated() {
                let folded = customer.name.lowercased()
                try connection.run("""
                    INSERT INTO customers (id, number, name, name_key, search_text, vat_number, country, created_at,
                        created_by, updated_at, updated_by)
                    VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, 1000, 1, 1000, 1)
                    """, [.integer(Int64(index + 1)), .integer(Int64(10_001 + index)), .text(customer.name),
                          .text(folded), customer.vatNumber.map { .text($0) } ?? .null,
                          customer.country.map { .text($0) } ?? .null])
            }
        }
    }

    /// A fresh directory with a database migrated to schema `version` only, `write` run on it in
    /// one transaction (raw SQL, as a server of that version wrote its rows).
    static func database(version: Int, _ write: (SQLiteConnection) throws -> Void) throws -> URL {
        let directory = try TestServer.makeTemporaryDirectory()
        var options = StoreOptions()
        options.migrateUpTo = version
        let store = try CustomerStore(path: directory.appendingPathComponent("customers.sqlite").path, options: options)
        defer { store.close() }
        try store.write(write)
        return directory
    }
}

extension LegacySchemaSeeder {
    /// The schema version of the database at `path` (`PRAGMA user_version`) as a start would find
    /// it, read from a copy of the database and its log (opening the files themselves would
    /// checkpoint the log into the database at the close), and the newest this build knows.
    static func schemaVersions(of path: String) throws -> (found: Int, latest: Int) {
        let copy = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: copy) }
        let copied = copy.appendingPathComponent("copy.sqlite").path
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: copied + suffix)
        }
        let connection = try SQLiteConnection(path: copied, role: .writer, options: StoreOptions())
        defer { connection.close() }
        return (try Migrations.currentVersion(of: connection), Migrations.migrator.latestVersion)
    }
}
