import TestSupport
import Foundation
import Testing
@testable import CustomerStore

/// Not a test of speed (it asserts nothing about time): what migration 13 and a full
/// FindDuplicates walk cost at 1 000 000 customers, run on demand with
/// `CUSTOMERSTORE_BENCH=1 swift test --filter DuplicateBenchmark` (SQLite does most of the work).
@Suite struct DuplicateBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CUSTOMERSTORE_BENCH"] != nil))
    func findDuplicatesIn1000000Customers() throws {
        let customers = 1_000_000
        // Every customer has a name, a VAT number, an email domain and a phone of its own; every
        // 100th takes its predecessor's name in another legal form, every 1000th its VAT number too.
        let directory = try LegacyDatabaseBenchmark.database(migratedUpTo: Migrations.customerMerge.version - 1) { admin in
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(customers))
            INSERT INTO customers (id, number, name, name_key, search_text, vat_number, country, email, phone,
                                   created_at, created_by, updated_at, updated_by)
            SELECT i, 10000 + i,
                   'Company ' || (i - (i % 100 = 0)) || CASE WHEN i % 2 = 0 THEN ' Oy' ELSE ' AB' END, '', '',
                   'FI' || printf('%08d', i - (i % 1000 = 0)), 'FI', 'info@c' || i || '.fi', '09 ' || (1000000 + i),
                   1, \(admin), 1, \(admin) FROM n;
            """
        }
        let (store, migrated) = try LegacyDatabaseBenchmark.open(directory.databasePath)
        defer { store.close() }
        let walk = ContinuousClock.now
        var pages = 0, pairs = 0, token: String?
        var firstPage: Duration?
        repeat {
            let page = try store.findDuplicates(limit: 1_000, pageToken: token)
            if firstPage == nil { firstPage = ContinuousClock.now - walk }
            pages += 1
            pairs += page.pairs.count
            token = page.nextPageToken
        } while token != nil
        let walked = ContinuousClock.now - walk
        #expect(pairs == customers / 100)
        let size = LegacyDatabaseBenchmark.mebibytes(directory.databasePath)
        print("duplicates: \(customers) customers, database \(size) MiB: migration 13 (keys) \(migrated); "
              + "first page of 1000 pairs \(firstPage ?? .zero); all \(pairs) pairs in \(pages) pages \(walked)")
    }
}
