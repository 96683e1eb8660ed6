import Foundation
import SQLiteEngine
import Testing
import TestSupport
@testable import CustomerStore

/// The trigram index (migration 29) against the scan it spares: the same customers, in the same
/// order, on the same pages, for every term, however far the index is behind the writes.
@Suite struct SearchIndexTests {
    /// Name pieces: ASCII and not, LIKE's wildcards and escape, FTS5's quote, invisible characters.
    private static let words = [
        "Acme", "Nordic", "Müller", "MÜLLER", "Åsa", "Café", "Straße", "Ab_%", "50% off", "a\\b", "O'Brien",
        "\"Quoted\"", "Ελλάς", "東京", "Ac\u{200B}me", "Oy", "AB", "GmbH", "Kone", "Tekno", "Väinö", "İstanbul",
        "ǅemal", "x", "xx", "ß", "Ǆ",
    ]
    private static let vatNumbers = ["FI01120389", "SE556677889901"]

    /// A store of a few thousand varied customers written every way the listing's rows change
    /// (batch create, single create, rename, erasure, merge), then many random and edge terms
    /// (pieces of the texts customers have and had), each under a random filter, order and page
    /// size: the index's pages equal the scan's, and the store's own choice lists what the scan
    /// lists with the scan's page tokens; with the index behind the writes (following none of the
    /// writes after the batch, then a random part of them and more writes after that), and caught up.
    @Test func theIndexListsWhatTheScanListsForEveryTermWhateverItsLag() throws {
        let fixture = try Fixture(indexesSearchBehind: false)
        var random = SeededGenerator(seed: 27)
        func word() -> String { Self.words.randomElement(using: &random) ?? "" }
        var batch: [NewCustomer] = []
        for index in 0..<3_000 {
            let name = (0..<Int.random(in: 1...3, using: &random)).map { _ in word() }.joined(separator: " ") + " \(index % 97)"
            let email: String? = switch index % 4 {
            case 0: "info\(index)@example\(index % 13).fi"
            case 1: "a_b%\(index % 50)@x-\(index % 7).com"
            default: nil
            }
            let vat: String? = index % 9 == 0 ? Self.vatNumbers[index % 2] : nil
            let country: String? = vat.map { String($0.prefix(2)) } ?? (index % 3 == 0 ? "DE" : nil)
            let manager: Int64? = index % 5 == 0 ? fixture.other.id : nil
            batch.append(NewCustomer(name: name, accountManagerID: manager, vatNumber: vat, country: country, email: email))
        }
        let ids = try fixture.store.createCustomers(batch, allowDuplicateVAT: true, by: .user(fixture.admin.id))
        #expect(try catchUp(fixture.store) > 0)
        #expect(try lag(fixture.store) == 0)
        let oldTexts = try searchTexts(fixture.store)
        fixture.clock.advance(milliseconds: 60_000)
        let middle = fixture.clock.now
        var live = ids
        live.shuffle(using: &random)
        /// Creates, renames, erasures, merges and deactivations of the customers `live[range]`.
        func writeChanges(_ range: Range<Int>, creates: Int) throws -> Int {
            for _ in 0..<creates {
                try fixture.create(word() + " single " + word(), email: "one\(Int.random(in: 0...99, using: &random))@b.fi")
            }
            let slice = Array(live[range])
            let fifth = slice.count / 5
            for id in slice.prefix(2 * fifth) {
                _ = try fixture.store.updateCustomer(id: id, CustomerChanges(name: word() + " renamed " + word()), expectedVersion: nil,
                                                     by: .user(fixture.admin.id))
            }
            for id in slice.dropFirst(2 * fifth).prefix(fifth) { try fixture.store.deleteCustomer(id: id, by: .user(fixture.admin.id)) }
            var merged = 0
            for pair in Array(slice.dropFirst(3 * fifth).prefix(fifth)).chunked(2) {
                // A merge filling a VAT number the kept customer's country refuses is refused: skipped.
                if (try? fixture.store.mergeCustomers(keep: pair[0], absorb: pair[1], dryRun: false, by: .user(fixture.admin.id))) != nil {
                    merged += 1
                }
            }
            for id in slice.dropFirst(4 * fifth) {
                _ = try fixture.store.setCustomerActive(id: id, false, expectedVersion: nil, by: .user(fixture.admin.id))
            }
            return merged
        }
        #expect(try writeChanges(0..<300, creates: 40) >= 10)

        let texts = try searchTexts(fixture.store) + oldTexts
        var terms = ["a", "oy", "%", "_", "\\", "\"", "%%", "_%", "a\\b", "\"quoted\"", "50% off", "ab_%", "müller", "MULLER",
                     "muller", "strasse", "STRASSE", "ss", "cafe", "café", "東京", "ελλας", "istanbul", "i̇stanbul", "ǆemal",
                     "acme", "ac\u{200B}me", "0112038-9", "fi 0112038 9", "FI-01120389", "5566778899-01", "01120389",
                     "@example1", "example12.fi", ".com", "x-3.com", "zzzq", "no such customer", "renamed", "single",
                     "10001", "1 0001", "10 001", "x x", "xxx", "ßß"]
        for _ in 0..<160 {
            guard let text = texts.randomElement(using: &random) else { break }
            let scalars = Array(text.unicodeScalars)
            let start = Int.random(in: 0..<scalars.count, using: &random)
            let length = Int.random(in: 1...9, using: &random)
            var term = String.UnicodeScalarView()
            term.append(contentsOf: scalars[start..<min(scalars.count, start + length)])
            let lines = String(term).split(separator: "\n", omittingEmptySubsequences: false)
            // A term across two fields, with the line feed left out or as a space: must not match.
            terms.append(lines.joined())
            terms.append(lines.joined(separator: " "))
            if let longest = lines.max(by: { $0.count < $1.count }) { terms.append(String(longest).uppercased()) }
        }

        let orders: [CustomerOrder] = [.byName, .byNumber, .byID]
        let filters: [CustomerFilter] = [
            CustomerFilter(), CustomerFilter(status: .all), CustomerFilter(status: .inactive),
            CustomerFilter(status: .all, changedSince: middle), CustomerFilter(country: "FI"),
            CustomerFilter(status: .all, accountManagerID: fixture.other.id), CustomerFilter(country: "DE", changedSince: middle),
        ]
        for round in ["behind by every write since the batch", "behind by part of them, and more writes", "caught up"] {
            switch round {
            case "caught up":
                _ = try catchUp(fixture.store)
                #expect(try lag(fixture.store) == 0)
                // Every write reached the index, and nothing else did.
                try expectIndexHoldsEveryText(fixture.store)
            case "behind by part of them, and more writes":
                let behind = try lag(fixture.store)
                _ = try catchUp(fixture.store, limit: Int.random(in: 1..<Int(behind), using: &random))
                #expect(try lag(fixture.store) > 0 && lag(fixture.store) < behind)
                // Some of these were followed by the index before (renamed again, erased, merged);
                // the erased and merged ones are gone.
                live = Array(live[0..<120] + live[240...])
                live.shuffle(using: &random)
                _ = try writeChanges(0..<100, creates: 10)
            default:
                #expect(try lag(fixture.store) > 300)
            }
            var found = 0
            var indexed = 0
            for term in terms {
                var filter = filters.randomElement(using: &random) ?? CustomerFilter()
                filter.search = term
                let order = orders.randomElement(using: &random) ?? .byName
                let limit = [20, 100, 500].randomElement(using: &random) ?? 50
                let query = try CustomerListingQuery(filter, order: order)
                let scan = try pages(fixture, query, limit: limit, reading: .scan)
                let index = try pages(fixture, query, limit: limit, reading: .index)
                #expect(index == scan, "\(round): term \(term.debugDescription), \(order), limit \(limit)")
                let listed = try listedIDs(fixture, filter, order: order, limit: limit)
                #expect(listed == scan.map(\.ids), "\(round): term \(term.debugDescription), \(order), limit \(limit) (the store's choice)")
                if !(scan.first?.ids.isEmpty ?? true) { found += 1 }
                if query.searchIndex != nil { indexed += 1 }
            }
            // Not a test that cannot fail: most terms find someone and are asked of the index.
            #expect(found > terms.count / 2, "\(round): \(found) of \(terms.count)")
            #expect(indexed > terms.count / 2, "\(round): \(indexed) of \(terms.count)")
        }
    }

    /// A search that matches few is read from the index (its candidates by rowid), with the index
    /// caught up or far behind; one that matches many walks the order's index as before, and one
    /// too short for a trigram scans.
    @Test func aSelectiveSearchIsReadFromTheIndex() throws {
        let fixture = try Fixture(indexesSearchBehind: false)
        let names = (0..<(SearchIndexQuery.candidateLimit + 20)).map { "Common name \($0)" } + ["Rare Müller Oy"]
        _ = try fixture.store.createCustomers(names.map { NewCustomer(name: $0) }, by: .user(fixture.admin.id))
        func plan(_ search: String, status: ActivityFilter = .active) throws -> String {
            let query = try CustomerListingQuery(CustomerFilter(status: status, search: search), order: .byName)
            return try fixture.store.read { connection in
                let candidates = try query.searchIndex.flatMap { try $0.isSelective(connection) ? $0 : nil }
                let (sql, values) = query.sqlText(after: nil, limit: 50, candidates: candidates)
                return try connection.withStatement("EXPLAIN QUERY PLAN " + sql) { statement in
                    try statement.bind(values)
                    var plan = ""
                    while try statement.step() { plan += statement.text(3) + "\n" }
                    return plan
                }
            }
        }
        // The index behind by every customer (none followed yet): a rare term is still read from
        // it, the customers written since its mark tested by their LIKE before they count.
        #expect(try lag(fixture.store) > Int64(SearchIndexQuery.candidateLimit))
        let rareBehind = try plan("müller")
        #expect(rareBehind.contains("customer_search") && rareBehind.contains("INTEGER PRIMARY KEY"), "\(rareBehind)")
        try catchUp(fixture.store)
        for status in [ActivityFilter.active, .all] {
            let rare = try plan("müller", status: status)
            #expect(rare.contains("customer_search") && rare.contains("INTEGER PRIMARY KEY"), "\(rare)")
        }
        let common = try plan("common")
        #expect(!common.contains("customer_search") && common.contains("customers_by_status_name"), "\(common)")
        let short = try plan("mü")
        #expect(!short.contains("customer_search"), "\(short)")
        let page = try fixture.store.listCustomers(CustomerFilter(search: "MÜLLER"), order: .byName, limit: 10, pageToken: nil)
        #expect(page.customers.map(\.name) == ["Rare Müller Oy"])
    }

    /// The index of a database from before it is built by its migration, its mark after every
    /// history entry: found by the index as by the scan, and FTS5's check of it passes.
    @Test func anUpgradedDatabaseHasItsCustomersIndexed() throws {
        let directory = try TemporaryDirectory()
        var options = Fixture.options(clock: TestClock())
        options.migrateUpTo = Migrations.searchIndex.version - 1
        do {
            let old = try CustomerStore(path: directory.databasePath, options: options)
            let admin = try old.addUser(uid: 1000, name: "alice", isAdministrator: true)
            _ = try old.createCustomers(["Väinö Oy", "Acme 50% AB", "Other"].map { NewCustomer(name: $0) }, by: .user(admin.id))
        }
        // Without the indexer: the migration built the index and its mark.
        options.migrateUpTo = nil
        options.indexesSearchBehind = false
        let upgraded = try CustomerStore(path: directory.databasePath, options: options)
        #expect(upgraded.appliedMigrations == Array(Migrations.searchIndex.version...Migrations.latestVersion))
        try checkIndex(upgraded)
        #expect(try lag(upgraded) == 0)
        #expect(try searchTexts(upgraded).count == 3)
        #expect(try upgraded.read { connection in
            try connection.withStatement("SELECT count(*) FROM customer_search") { try $0.step() ? $0.int64(0) : -1 }
        } == 3)
        for (term, names) in [("väinö", ["Väinö Oy"]), ("VAINO", ["Väinö Oy"]), ("50% ab", ["Acme 50% AB"]), ("the", ["Other"])] {
            let query = try CustomerListingQuery(CustomerFilter(search: term), order: .byName)
            let listed = try upgraded.read { try query.page($0, after: nil, limit: 10, reading: .index) }
            #expect(listed.customers.map(\.name) == names, "\(term)")
        }
    }

    /// The store's own indexer follows the writes by itself, in the writer's idle time: after a
    /// burst of creates and renames the index has caught up (a bounded wait), and holds each
    /// customer's text as it is now.
    @Test func theIndexerCatchesUpBehindTheWriter() async throws {
        let fixture = try Fixture()
        let ids = try fixture.store.createCustomers((0..<500).map { NewCustomer(name: "Burst \($0) Oy") }, by: .user(fixture.admin.id))
        for id in ids.prefix(50) {
            _ = try fixture.store.updateCustomer(id: id, CustomerChanges(name: "Renamed \(id) Ab"), expectedVersion: nil,
                                                 by: .user(fixture.admin.id))
        }
        try await waitForIndexer(fixture.store)
        try expectIndexHoldsEveryText(fixture.store)
    }

    /// An erasure takes the customer's text out of the index at once, but FTS5 only writes a delete
    /// marker: its trigrams, listing its id, stay in the older segments. The indexer purges them
    /// by itself (a bounded wait): then no blob of the index's data or page index holds any
    /// trigram of the erased text, while the other customers stay indexed. The erased name holds a
    /// letter no other text has, so every trigram holding it is stored with the letter's bytes
    /// (prefix compression shares bytes only with a term of the same first letters).
    @Test func anErasedCustomersTrigramsArePurgedFromTheIndexData() async throws {
        let fixture = try Fixture()
        let letter = Array("\u{A66E}".utf8)
        try fixture.store.createCustomers((0..<300).map { NewCustomer(name: "Kept \($0) Oy") }, by: .user(fixture.admin.id))
        let erased = try fixture.create("Zu\u{A66E}ko Oy")
        try fixture.create("Later Ab")
        try await waitForIndexer(fixture.store)
        #expect(try indexBlobs(fixture.store).contains { $0.contains(letter) }, "control: the letter is indexed")
        try fixture.store.deleteCustomer(id: erased.id, by: .user(fixture.admin.id))
        try await waitForIndexer(fixture.store)
        #expect(try !indexBlobs(fixture.store).contains { $0.contains(letter) }, "the erased text's trigrams are in the index's data")
        try expectIndexHoldsEveryText(fixture.store)
    }

    /// Waits (bounded) until the indexer has followed every write and purged what erasures owe.
    private func waitForIndexer(_ store: CustomerStore) async throws {
        func busy() throws -> Bool {
            try store.read { connection in
                try SearchIndex.lag(connection) > 0
                    || connection.withStatement("SELECT purge_owed FROM customer_search_state") { try $0.step() && $0.int64(0) != 0 }
            }
        }
        var waited = 0
        while try busy(), waited < 600 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        #expect(try !busy(), "the indexer is still busy after \(waited) waits")
    }

    /// The index's segments (`customer_search_data`) and page index (`customer_search_idx`), raw.
    private func indexBlobs(_ store: CustomerStore) throws -> [[UInt8]] {
        try store.read { connection in
            try connection.withStatement("SELECT block FROM customer_search_data UNION ALL SELECT term FROM customer_search_idx") { statement in
                var blobs: [[UInt8]] = []
                while try statement.step() { blobs.append(statement.blob(0)) }
                return blobs
            }
        }
    }

    /// FTS5's own check of an external-content index against its table (rank 1: the content too),
    /// which fails on any row the index holds otherwise. An INSERT: on the writer.
    private func checkIndex(_ store: CustomerStore) throws {
        try store.write { try $0.execute("INSERT INTO customer_search (customer_search, rank) VALUES ('integrity-check', 1)") }
    }

    /// Runs the indexer's batches now (see `CustomerStore.catchUpSearchIndex`).
    @discardableResult
    private func catchUp(_ store: CustomerStore, limit: Int? = nil) throws -> Int {
        try store.catchUpSearchIndex(limit: limit)
    }

    /// How many history entries the index has not followed.
    private func lag(_ store: CustomerStore) throws -> Int64 {
        try store.read { try SearchIndex.lag($0) }
    }

    /// Every customer's search text but the empty ones, by id.
    private func searchTexts(_ store: CustomerStore) throws -> [String] {
        try texts(store, "SELECT search_text FROM customers WHERE search_text <> '' ORDER BY id")
    }

    /// FTS5's check passes, and the index holds every customer's text as it is now (by id), no other.
    private func expectIndexHoldsEveryText(_ store: CustomerStore) throws {
        try checkIndex(store)
        #expect(try texts(store, "SELECT search_text FROM customer_search ORDER BY rowid") == searchTexts(store))
    }

    private func texts(_ store: CustomerStore, _ sql: String) throws -> [String] {
        try store.read { connection in
            try connection.withStatement(sql) { statement in
                var texts: [String] = []
                while try statement.step() { texts.append(statement.text(0)) }
                return texts
            }
        }
    }

    private struct Page: Equatable {
        let ids: [Int64]
        let last: ListPosition?
        let hasMore: Bool
    }

    /// Every page of `query`, read one way.
    private func pages(_ fixture: Fixture, _ query: CustomerListingQuery, limit: Int, reading: SearchRead) throws -> [Page] {
        var pages: [Page] = []
        var position: ListPosition?
        repeat {
            let page = try fixture.store.read { try query.page($0, after: position, limit: limit, reading: reading) }
            pages.append(Page(ids: page.customers.map(\.id), last: page.last, hasMore: page.hasMore))
            position = page.hasMore ? page.last : nil
        } while position != nil
        return pages
    }

    /// Every page's ids as the store lists them, following its page tokens.
    private func listedIDs(_ fixture: Fixture, _ filter: CustomerFilter, order: CustomerOrder, limit: Int) throws -> [[Int64]] {
        var pages: [[Int64]] = []
        var token: String?
        repeat {
            let page = try fixture.store.listCustomers(filter, order: order, limit: limit, pageToken: token)
            pages.append(page.customers.map(\.id))
            token = page.nextPageToken
        } while token != nil
        return pages
    }
}

extension Array {
    fileprivate func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count - size + 1, by: size).map { Array(self[$0..<($0 + size)]) }
    }
}
