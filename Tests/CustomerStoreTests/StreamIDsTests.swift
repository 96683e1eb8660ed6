import Foundation
import SQLiteEngine
import TestSupport
import Testing
@testable import CustomerStore

/// A stream by name of more customers than ``StreamIDs`` holds in memory: its ids go to an unnamed
/// file beside the database, and every customer of the start is still delivered once, in the
/// start's order, while customers are renamed and erased between its batches.
@Suite struct StreamIDsTests {
    @Test func aStreamWhoseIdsSpillToAFileDeliversEachCustomerOnceWhileTheyMove() throws {
        let fixture = try Fixture()
        let count = 2 * StreamIDs.memoryLimit + 1_000
        var ids: [Int64] = []
        for chunk in stride(from: 0, to: count, by: 1_000) {
            ids += try fixture.store.createCustomers((chunk..<min(chunk + 1_000, count)).map {
                NewCustomer(name: String(format: "C %05d", $0))
            }, by: .user(fixture.admin.id))
        }
        let author = Author.user(fixture.admin.id)
        func rename(_ index: Int, _ name: String) throws {
            var changes = CustomerChanges()
            changes.name = name
            _ = try fixture.store.updateCustomer(id: ids[index], changes, expectedVersion: nil, by: author)
        }
        var delivered: [StoredCustomer] = []
        var spilled = false
        try fixture.store.streamCustomers(CustomerFilter(), order: .byName, osUser: nil) { customer in
            if delivered.isEmpty {
                // Between the first batch and the rest: ahead to behind, behind to ahead, erased ahead.
                try rename(count - 10, "B moved behind")
                try rename(3, "D moved ahead")
                try fixture.store.deleteCustomer(id: ids[count - 5], by: author)
                spilled = Self.holdsUnnamedStreamFile()
            }
            delivered.append(customer)
        }
        #expect(spilled)
        #expect(delivered.map(\.id) == ids.enumerated().filter { $0.offset != count - 5 }.map(\.element))
        #expect(delivered.first { $0.id == ids[count - 10] }?.name == "B moved behind")
        // Nothing is left beside the database.
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path)
        #expect(!names.contains { $0.hasPrefix(".customer-stream-") })
    }

    /// The budget of id files is the OS user's the caller names (`osUser`), not the thread's: a
    /// second stream for the same user, started while the first holds its file, is refused naming
    /// that user; one for another user is served; everything comes back when the streams end.
    @Test func aStreamsIDFileCountsInTheBudgetOfTheUserItRunsFor() throws {
        let directory = try TemporaryDirectory()
        let (store, count) = try Self.storeOfOneFileOfIDs(in: directory) { $0.streamIDBytesPerUser = StreamIDBudget.step }
        var first = 0
        var sameUser: (any Error)?
        var otherUser = 0
        try store.streamCustomers(CustomerFilter(), order: .byName, osUser: 4242) { _ in
            first += 1
            guard first == 1 else { return }
            #expect(store.streamIDBytes(ofUser: 4242) == StreamIDBudget.step)
            do {
                try store.streamCustomerRecords(CustomerFilter(), order: .byName, osUser: 4242) { _ in }
            } catch {
                sameUser = error
            }
            try store.streamCustomers(CustomerFilter(), order: .byNumber, osUser: 4343) { _ in otherUser += 1 }
        }
        #expect(first == count)
        #expect(otherUser == count)
        guard case StoreError.resourceExhausted(let message)? = sameUser else {
            Issue.record("a second stream of OS user 4242 was not refused: \(String(describing: sameUser))")
            return
        }
        #expect(message.hasPrefix("OS user 4242's ordered streams would hold more than"))
        #expect(store.streamIDBytes(ofUser: 4242) == 0)
        #expect(store.streamIDBytes(ofUser: 4343) == 0)
    }

    /// The id files of all OS users are bounded together (`maxStreamIDFiles`), not only each user's:
    /// with one file for the server, a second user's stream that would make one is refused naming
    /// the server's bound, before its file is made; a stream kept in memory is served, and the
    /// file comes back when the first stream ends (fds24).
    @Test func theIDFilesOfAllUsersAreBoundedTogether() throws {
        let directory = try TemporaryDirectory()
        let (store, count) = try Self.storeOfOneFileOfIDs(in: directory) { $0.maxStreamIDFiles = 1 }
        var first = 0
        var secondUser: (any Error)?
        var inMemory = 0
        try store.streamCustomers(CustomerFilter(), order: .byName, osUser: 4242) { _ in
            first += 1
            guard first == 1 else { return }
            #expect(store.streamIDFilesOpen == 1)
            do {
                try store.streamCustomerRecords(CustomerFilter(), order: .byName, osUser: 4343) { _ in }
            } catch {
                secondUser = error
            }
            #expect(store.streamIDFilesOpen == 1)
            #expect(store.streamIDBytes(ofUser: 4343) == 0)
            try store.streamCustomers(CustomerFilter(search: "C 0000"), order: .byName, osUser: 4444) { _ in inMemory += 1 }
        }
        #expect(first == count)
        #expect(inMemory == 10)
        guard case StoreError.resourceExhausted(let message)? = secondUser else {
            Issue.record("OS user 4343's stream was not refused: \(String(describing: secondUser))")
            return
        }
        #expect(message.hasPrefix("the server's ordered streams already hold its limit of 1 customer-id files at once"), "\(message)")
        #expect(message.contains("ulimit -n"), "\(message)")
        #expect(store.streamIDFilesOpen == 0)
        try store.streamCustomerRecords(CustomerFilter(), order: .byName, osUser: 4343) { _ in }
        #expect(store.streamIDFilesOpen == 0)
    }

    /// The last quarter of the server's id files is kept for OS users holding fewer than 4
    /// (`StreamIDBudget.reserve`, as connections keep theirs): with 8 files, one user's nested
    /// streams take 6 and its 7th is refused naming the share and what it holds, before its file
    /// is made; another user's stream is then served from the reserve, and a third's too (share25).
    @Test func theLastIDFilesAreKeptForUsersHoldingFew() throws {
        let directory = try TemporaryDirectory()
        let (store, count) = try Self.storeOfOneFileOfIDs(in: directory) { $0.maxStreamIDFiles = 8 }
        var refusal: (any Error)?
        var others = [0, 0]
        /// Opens `depth` nested streams of OS user 4242, each paused at its first row while the
        /// next starts; the innermost tries a 7th and then runs the other users' streams.
        func hold(_ depth: Int) throws {
            var rows = 0
            try store.streamCustomers(CustomerFilter(), order: .byName, osUser: 4242) { _ in
                rows += 1
                guard rows == 1 else { return }
                if depth > 1 { return try hold(depth - 1) }
                #expect(store.streamIDFilesOpen == 6)
                do {
                    try store.streamCustomerRecords(CustomerFilter(), order: .byName, osUser: 4242) { _ in }
                } catch {
                    refusal = error
                }
                #expect(store.streamIDFilesOpen == 6)
                try store.streamCustomers(CustomerFilter(), order: .byNumber, osUser: 4343) { _ in
                    others[0] += 1
                    guard others[0] == 1 else { return }
                    try store.streamCustomers(CustomerFilter(), order: .byNumber, osUser: 4444) { _ in others[1] += 1 }
                }
            }
            #expect(rows == count)
        }
        try hold(6)
        #expect(others == [count, count])
        guard case StoreError.resourceExhausted(let message)? = refusal else {
            Issue.record("OS user 4242's 7th stream was not refused: \(String(describing: refusal))")
            return
        }
        #expect(message.hasPrefix("too many customer-id files of ordered streams (limit 8, all OS users together): the last 2 "
                                  + "are kept for OS users holding fewer than 4, and OS user 4242's streams hold 6"), "\(message)")
        #expect(store.streamIDFilesOpen == 0)
        #expect(store.streamIDFileReserve.files == 2 && store.streamIDFileReserve.userLimit == 4)
    }

    /// A store with the `options` `set` makes, holding enough customers that a stream of all of them
    /// writes its ids to a file (`count`).
    private static func storeOfOneFileOfIDs(in directory: TemporaryDirectory, _ set: (inout StoreOptions) -> Void) throws
        -> (store: CustomerStore, count: Int) {
        var options = Fixture.options(clock: TestClock())
        set(&options)
        let store = try CustomerStore(path: directory.databasePath, options: options)
        let admin = try store.addUser(uid: 1000, name: "alice", isAdministrator: true)
        let count = StreamIDs.memoryLimit + 100
        for chunk in stride(from: 0, to: count, by: 1_000) {
            _ = try store.createCustomers((chunk..<min(chunk + 1_000, count)).map {
                NewCustomer(name: String(format: "C %05d", $0))
            }, by: .user(admin.id))
        }
        return (store, count)
    }

    /// The start's scan of customers reads the order's index without sorting, and each batch finds
    /// its rows by rowid, whatever the filter: a batch's cost does not grow with the customers
    /// (without `NOT INDEXED` SQLite scanned every active customer by number for each batch).
    @Test func theIdScanReadsTheOrdersIndexAndBatchesReadByRowid() throws {
        let fixture = try Fixture()
        var queries: [CustomerListingQuery] = []
        for order in [CustomerOrder.byName, .byNumber] {
            for status in [ActivityFilter.active, .inactive, .all] {
                queries.append(try CustomerListingQuery(CustomerFilter(status: status), order: order))
            }
            queries.append(try CustomerListingQuery(CustomerFilter(search: "acme", country: "FI", accountManagerID: 1), order: order))
        }
        func plan(_ sql: String, _ values: [SQLValue]) throws -> String {
            try fixture.store.read { connection in
                try connection.withStatement("EXPLAIN QUERY PLAN " + sql) { statement in
                    try statement.bind(values)
                    var plan = ""
                    while try statement.step() { plan += statement.text(3) + "\n" }
                    return plan
                }
            }
        }
        for (index, query) in queries.enumerated() {
            let scan = try plan(query.idsSQLText().sql, query.idsSQLText().values)
            // The filtered query (every fourth) may sort its matches: the account manager's index is narrower.
            if index % 4 != 3 { #expect(!scan.contains("TEMP B-TREE"), "\(scan)") }
            let batch = try plan(query.sqlText(ids: [1, 2, 3], slots: 16).sql, query.sqlText(ids: [1, 2, 3], slots: 16).values)
            #expect(batch.contains("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"), "\(batch)")
        }
        for manager in [nil, 1] as [Int64?] {
            let query = MailingListQuery(labelIDs: [1, 2], accountManagerID: manager)
            // The scan may sort (it did so for every batch before streams22); the batches may not.
            let batch = try plan(query.sqlText(ids: [1, 2, 3], slots: 16).sql, query.sqlText(ids: [1, 2, 3], slots: 16).values)
            #expect(batch.contains("SEARCH k USING INTEGER PRIMARY KEY (rowid=?)"), "\(batch)")
            #expect(batch.contains("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"), "\(batch)")
        }
    }

    /// Whether this process has a stream's id file open (unlinked: Linux shows it as "(deleted)").
    private static func holdsUnnamedStreamFile() -> Bool {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.contains { descriptor in
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")) ?? ""
            return target.contains("/.customer-stream-") && target.hasSuffix("(deleted)")
        }
    }
}
