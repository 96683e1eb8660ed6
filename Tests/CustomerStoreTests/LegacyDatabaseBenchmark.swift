import TestSupport
import Foundation
@testable import CustomerStore

/// What the on-demand migration benchmarks share: a large database of an older schema version,
/// filled by SQL, then opened (and so migrated) by today's store, timed.
enum LegacyDatabaseBenchmark {
    /// A database migrated up to `version`, with one administrator (written as older versions
    /// wrote users), then `seed` run in one write: the SQL its closure makes of the user's id.
    static func database(migratedUpTo version: Int, seed: (_ admin: Int64) -> String) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        var old = StoreOptions()
        old.migrateUpTo = version
        let store = try CustomerStore(path: directory.databasePath, options: old)
        defer { store.close() }
        let admin = try insertLegacyUser(store, uid: 7, name: "dora", isAdministrator: true)
        try store.write { connection in try connection.execute(seed(admin)) }
        return directory
    }

    /// Today's store on `path`, with how long opening (and migrating) it took.
    static func open(_ path: String) throws -> (store: CustomerStore, elapsed: Duration) {
        let start = ContinuousClock.now
        let store = try CustomerStore(path: path)
        return (store, ContinuousClock.now - start)
    }

    /// The database file's size in MiB.
    static func mebibytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576
    }
}
