import Foundation
import Testing
@testable import CustomerStore

@Suite struct ListingTests {
    /// Pages through a listing while inserting and deleting rows between pages; every row that
    /// existed throughout must come exactly once, in order.
    @Test(arguments: [CustomerOrder.byName, .byNumber, .byID])
    func paginationNeitherSkipsNorRepeatsUnderChurn(_ order: CustomerOrder) throws {
        let fixture = try Fixture()
        // Names that fold to the same key ("Ab", "ab", "áb") exercise the id tie-break.
        let names = (0..<60).map { ["Ab", "ab", "áb", "Öljy \($0)", "zeta \($0)", "Mäki \($0)"][$0 % 6] }
        let ids = try fixture.store.createCustomers(names.map { NewCustomer(name: $0) }, by: .user(fixture.admin.id))
        var survivors = Set(ids)
        var seen: [StoredCustomer] = []
        var token: String?
        var round = 0
        repeat {
            let page = try fixture.store.listCustomers(CustomerFilter(), order: order, limit: 7, pageToken: token)
            seen += page.customers
            token = page.nextPageToken
            round += 1
            // Churn: new rows before and after the cursor, and deletions of seen and unseen rows.
            try fixture.create("Aaa new \(round)")
            try fixture.create("Zzz new \(round)")
            let unseen = survivors.subtracting(seen.map(\.id)).sorted()
            if let victim = unseen.last {
                try fixture.store.deleteCustomer(id: victim, by: .user(fixture.admin.id))
                survivors.remove(victim)
            }
            if let seenVictim = seen.first(where: { survivors.contains($0.id) }) {
                try fixture.store.deleteCustomer(id: seenVictim.id, by: .user(fixture.admin.id))
                survivors.remove(seenVictim.id)
            }
        } while token != nil

        let seenIDs = seen.map(\.id)
        #expect(Set(seenIDs).count == seenIDs.count, "a row was repeated")
        #expect(survivors.isSubset(of: Set(seenIDs)), "a row that existed throughout was skipped")
        switch order {
        case .byName:
            let keys = seen.map { (SearchKey.fold($0.name), $0.id) }
            #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
        case .byNumber:
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.number < $1.number })
        case .byID:
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.id < $1.id })
        }
    }

    /// The byte-wise folding of ASCII text keys rows exactly as Foundation's folding did.
    @Test func foldingASCIIIsFoundationsFolding() {
        let ascii = String(decoding: Array(UInt8(0x01)...UInt8(0x7F)), as: UTF8.self)
        #expect(SearchKey.fold(ascii) == ascii.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil))
        #expect(SearchKey.fold("Müller ÅS") == "muller as")
    }

    @Test func orderByNameIgnoresCaseAndAccents() throws {
        let fixture = try Fixture()
        for name in ["beta", "Ärla", "alpha", "Öberg", "Ocean"] { try fixture.create(name) }
        #expect(try allPages(fixture.store).map(\.name) == ["alpha", "Ärla", "beta", "Öberg", "Ocean"])
    }

    @Test func searchIgnoresCaseAndAccentsAcrossNameNumberVATAndEmail() throws {
        let fixture = try Fixture()
        let muller = try fixture.create("Müller GmbH", email: "kontakt@mueller.de")
        let aas = try fixture.create("Ås Bygg AS", vatNumber: "NO 987 654 321")
        let percent = try fixture.create("100% Design_Studio", number: 77_001)
        try fixture.create("Other")

        func search(_ term: String) throws -> [Int64] {
            try allPages(fixture.store, CustomerFilter(search: term)).map(\.id)
        }
        #expect(try search("muller") == [muller.id])
        #expect(try search("MÜLLER") == [muller.id])
        #expect(try search("ÅS") == [aas.id])
        #expect(try search("no98765") == [aas.id])
        #expect(try search("MUELLER.DE") == [muller.id])
        #expect(try search("77001") == [percent.id])
        #expect(try search("0%") == [percent.id])
        #expect(try search("n__s") == [])
        #expect(try search("%") == [percent.id])
        #expect(try search("  ").count == 4)
    }

    @Test func statusCountryAndAccountManagerFilters() throws {
        let fixture = try Fixture()
        let active = try fixture.store.createCustomer(NewCustomer(name: "Active FI", accountManagerID: fixture.other.id,
                                                                  country: "FI"), by: .user(fixture.admin.id))
        let inactive = try fixture.create("Inactive NO", country: "NO")
        _ = try fixture.store.setCustomerActive(id: inactive.id, false, expectedVersion: nil, by: .user(fixture.admin.id))

        #expect(try allPages(fixture.store).map(\.id) == [active.id])
        #expect(try allPages(fixture.store, CustomerFilter(status: .inactive)).map(\.id) == [inactive.id])
        #expect(try allPages(fixture.store, CustomerFilter(status: .all)).map(\.id) == [active.id, inactive.id])
        #expect(try allPages(fixture.store, CustomerFilter(status: .all, country: "no")).map(\.id) == [inactive.id])
        #expect(try allPages(fixture.store, CustomerFilter(status: .all, accountManagerID: fixture.other.id))
            .map(\.id) == [active.id])
        #expect(violations { _ = try allPages(fixture.store, CustomerFilter(country: "QQ")) }?.map(\.field) == ["country"])
    }

    @Test func changedSinceSelectsRowsUpdatedAtOrAfter() throws {
        let fixture = try Fixture()
        _ = try fixture.store.createIndustry(name: "Retail")
        let old = try fixture.create("Old")
        fixture.clock.advance(milliseconds: 60_000)
        let cutoff = fixture.clock.now
        let new = try fixture.create("New")
        fixture.clock.advance(milliseconds: 60_000)
        let touched = try fixture.store.updateCustomer(id: old.id, CustomerChanges(industry: "Retail"),
                                                       expectedVersion: nil, by: .user(fixture.admin.id))
        #expect(try allPages(fixture.store, CustomerFilter(changedSince: cutoff)).map(\.id) == [new.id, touched.id])
        #expect(try allPages(fixture.store, CustomerFilter(changedSince: touched.updatedAt)).map(\.id) == [touched.id])
    }

    @Test func pageTokenIsBoundToItsOrderAndFilter() throws {
        let fixture = try Fixture()
        for index in 1...5 { try fixture.create("Customer \(index)") }
        let first = try fixture.store.listCustomers(CustomerFilter(), order: .byName, limit: 2, pageToken: nil)
        let token = try #require(first.nextPageToken)

        let misuses: [(CustomerFilter, CustomerOrder, String)] = [
            (CustomerFilter(), .byNumber, token),
            (CustomerFilter(status: .all), .byName, token),
            (CustomerFilter(search: "customer"), .byName, token),
            (CustomerFilter(), .byName, "garbage!"),
            (CustomerFilter(), .byName, "MXxieU5hbWV8"),
        ]
        for (filter, order, badToken) in misuses {
            let found = violations { _ = try fixture.store.listCustomers(filter, order: order, limit: 2, pageToken: badToken) }
            #expect(found?.map(\.field) == ["pageToken"])
        }
        for limit in [0, 1_001] {
            #expect(violations { _ = try fixture.store.listCustomers(CustomerFilter(), order: .byName, limit: limit,
                                                                     pageToken: nil) }?.map(\.field) == ["limit"])
        }
        let last = try fixture.store.listCustomers(CustomerFilter(), order: .byName, limit: 5, pageToken: nil)
        #expect(last.customers.count == 5 && last.nextPageToken == nil)
    }

    @Test func streamDeliversEveryRowOnceInOrder() throws {
        let fixture = try Fixture()
        let count = CustomerStore.streamBatchSize * 2 + 37
        try fixture.store.createCustomers((1...count).map { NewCustomer(name: "Streamed \($0)") }, by: .user(fixture.admin.id))
        var numbers: [Int64] = []
        try fixture.store.streamCustomers(CustomerFilter(), order: .byNumber, osUser: nil) { numbers.append($0.number) }
        #expect(numbers == Array(10_001...Int64(10_000 + count)))

        var names = 0
        try fixture.store.streamCustomers(CustomerFilter(search: "streamed 1"), order: .byName, osUser: nil) { _ in names += 1 }
        #expect(names == (1...count).filter { String($0).hasPrefix("1") }.count)
    }

    /// What a stream holds while its consumer pauses is the batch it is in: at its first row, a
    /// consumer has let the store read 16 rows, so a customer further on that is deactivated then
    /// is not delivered, and the export (same batches) delivers the same customers as the stream.
    @Test func aPausedStreamHasReadOnlyItsFirstSmallBatch() throws {
        let fixture = try Fixture()
        let count = CustomerStore.streamBatchSize * 2 + 37
        let ids = try fixture.store.createCustomers((1...count).map { NewCustomer(name: "Streamed \($0)") },
                                                      by: .user(fixture.admin.id))
        let later = ids[40]
        var streamed: [Int64] = []
        try fixture.store.streamCustomers(CustomerFilter(), order: .byNumber, osUser: nil) { customer in
            if streamed.isEmpty {
                _ = try fixture.store.setCustomerActive(id: later, false, expectedVersion: nil, by: .user(fixture.admin.id))
            }
            streamed.append(customer.id)
        }
        #expect(streamed == ids.filter { $0 != later })

        var exported: [Int64] = []
        try fixture.store.streamCustomerRecords(CustomerFilter(), order: .byNumber, osUser: nil) { exported.append($0.customer.id) }
        #expect(exported == streamed)
    }

    /// The initial sync's snapshot while customers are renamed from the end of the name order to
    /// its start between its batches (race21): every customer comes once, each with its name as of
    /// the position it carries. Read by name, the renamed ones were never delivered, and the feed
    /// after the first position gave the consumer their new names and nothing else of them.
    @Test func aSnapshotDeliversCustomersRenamedWhileItRunsOnce() throws {
        let fixture = try Fixture()
        let ids = try fixture.store.createCustomers((0..<100).map { NewCustomer(name: String(format: "Zeta %03d", $0)) },
                                                      by: .user(fixture.admin.id))
        var delivered: [Int64: String] = [:]
        var repeated: [Int64] = []
        try fixture.store.streamCustomersWithFeedPosition(CustomerFilter(status: .all)) { customer, _ in
            if delivered.isEmpty {
                // The first batch is 16 rows: these are read in later batches, each its own snapshot.
                for id in ids.suffix(40) {
                    _ = try fixture.store.updateCustomer(id: id, CustomerChanges(name: "Alpha \(id)"), expectedVersion: nil,
                                                         by: .user(fixture.admin.id))
                }
            }
            if delivered.updateValue(customer.name, forKey: customer.id) != nil { repeated.append(customer.id) }
        }
        #expect(Set(delivered.keys) == Set(ids), "missing: \(Set(ids).subtracting(delivered.keys).sorted())")
        #expect(repeated.isEmpty)
        #expect(ids.suffix(40).allSatisfy { delivered[$0] == "Alpha \($0)" })
    }

    @Test func deepPagesUseTheKeysetIndexes() throws {
        let fixture = try Fixture()
        let position = ListPosition(id: 5, number: 10_005, nameKey: "m")
        let queries = try [CustomerOrder.byName, .byNumber].flatMap { order in
            try [ActivityFilter.active, .inactive, .all].map { try CustomerListingQuery(CustomerFilter(status: $0), order: order) }
        }
        let plans = try fixture.store.read { connection in
            try queries.map { query in
                let (sql, values) = query.sqlText(after: position, limit: 50)
                return try connection.withStatement("EXPLAIN QUERY PLAN " + sql) { statement in
                    try statement.bind(values)
                    var plan = ""
                    while try statement.step() { plan += statement.text(3) + "\n" }
                    return plan
                }
            }
        }
        // No temporary sort and a range search (not a full scan) on the keyset index.
        for plan in plans {
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
            #expect(plan.contains("SEARCH c USING"), "\(plan)")
        }
        // By name, each status reads the one name index (migration 22); every status as its two
        // ranges merged in order.
        for plan in plans.prefix(3) { #expect(plan.contains("customers_by_status_name"), "\(plan)") }
        // A deep page seeks to its position's name key: only its own key's rows are compared by id.
        for plan in plans.prefix(3) { #expect(plan.contains("name_key>?"), "\(plan)") }
        #expect(plans[2].contains("MERGE (UNION ALL)"), "\(plans[2])")
    }
}
