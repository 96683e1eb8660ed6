// Only the store here, @testable: its record names would clash with the API's.
@testable import CustomerStore

/// Breaks a stopped server's database on purpose, so a test can see how the next server reports
/// a store failure whose cause only its log may hold.
enum StoreTampering {
    /// Renames table `name` (SQLite updates the schema's references to it; the store's queries do not).
    static func renameTable(_ name: String, to newName: String, databasePath: String) throws {
        let store = try CustomerStore(path: databasePath)
        defer { store.close() }
        try store.write { try $0.execute("ALTER TABLE \(name) RENAME TO \(newName)") }
    }

    /// Deletes every stored idempotency key: what a kill leaves between a keyed backup's publication
    /// and its key's row (the one write whose key is not in the transaction of the write it guards).
    static func forgetIdempotencyKeys(databasePath: String) throws {
        let store = try CustomerStore(path: databasePath)
        defer { store.close() }
        try store.write { try $0.execute("DELETE FROM idempotency_keys") }
    }
}
