import TestSupport
import Foundation
import Synchronization
@testable import CustomerStore
import SQLiteEngine

extension TemporaryDirectory {
    var databasePath: String { path("customers.sqlite") }
}

/// A clock the test moves by hand, so timestamps are exact and tests never depend on real time.
final class TestClock: Sendable {
    private let milliseconds: Mutex<Int64>

    init(milliseconds: Int64 = 1_800_000_000_000) {
        self.milliseconds = Mutex(milliseconds)
    }

    var now: Date { Date(milliseconds: milliseconds.withLock { $0 }) }

    func advance(milliseconds delta: Int64) {
        milliseconds.withLock { $0 += delta }
    }
}

/// A store in a temporary directory with two users: an administrator and a second user.
struct Fixture {
    let directory: TemporaryDirectory
    let clock: TestClock
    let store: CustomerStore
    let admin: StoredUser
    let other: StoredUser

    /// - Parameter groupBudgetNanoseconds: how long a commit group takes further members (a test
    ///   that forms a group on purpose makes it long, so a busy machine does not split the group).
    /// - Parameter indexesSearchBehind: whether the search index follows the writes by itself
    ///   (`SearchIndexer`); a test that holds it behind turns it off.
    init(readerCount: Int = 4, groupBudgetNanoseconds: UInt64 = GroupCommitWriter.groupBudgetNanoseconds,
         indexesSearchBehind: Bool = true) throws {
        directory = try TemporaryDirectory()
        clock = TestClock()
        var options = Self.options(clock: clock, readerCount: readerCount)
        options.groupBudgetNanoseconds = groupBudgetNanoseconds
        options.indexesSearchBehind = indexesSearchBehind
        store = try CustomerStore(path: directory.databasePath, options: options)
        admin = try store.addUser(uid: 1000, name: "alice", isAdministrator: true)
        other = try store.addUser(uid: 1001, name: "bob")
    }

    static func options(clock: TestClock, readerCount: Int = 4) -> StoreOptions {
        var options = StoreOptions(readerCount: readerCount)
        options.clock = { clock.now }
        return options
    }

    /// Creates a customer with just a name (and optionally more), by the administrator.
    @discardableResult
    func create(_ name: String, number: Int64? = nil, vatNumber: String? = nil, email: String? = nil,
                country: String? = nil) throws -> StoredCustomer {
        try store.createCustomer(NewCustomer(number: number, name: name, vatNumber: vatNumber, country: country,
                                             email: email), by: .user(admin.id))
    }
}

/// The violations of an `invalidArgument` error, or `nil` for any other outcome.
func violations(of body: () throws -> Void) -> [FieldViolation]? {
    do {
        try body()
        return nil
    } catch StoreError.invalidArgument(let violations) {
        return violations
    } catch {
        return nil
    }
}

/// The error a call throws as a `StoreError`, or `nil` if it succeeds or throws something else.
func storeError(of body: () throws -> Void) -> StoreError? {
    do {
        try body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        return nil
    }
}

/// Every customer of a listing, page by page.
/// The names of the indexes in `store`'s schema (migration tests: which ones a migration dropped).
func indexNames(_ store: CustomerStore) throws -> Set<String> {
    try store.write { connection in
        try connection.withStatement("SELECT name FROM sqlite_master WHERE type = 'index'") { statement in
            var names: Set<String> = []
            while try statement.step() { names.insert(statement.text(0)) }
            return names
        }
    }
}

func allPages(_ store: CustomerStore, _ filter: CustomerFilter = .init(), order: CustomerOrder = .byName,
              limit: Int = 50) throws -> [StoredCustomer] {
    var customers: [StoredCustomer] = []
    var token: String?
    repeat {
        let page = try store.listCustomers(filter, order: order, limit: limit, pageToken: token)
        customers += page.customers
        token = page.nextPageToken
    } while token != nil
    return customers
}

extension Fixture {
    /// The single integer a raw SQL query returns, read on the writer (tests of the schema itself).
    func rawCount(_ sql: String, _ values: [SQLValue] = []) throws -> Int64 {
        try store.write { connection in
            try connection.withStatement(sql) { statement in
                try statement.bind(values)
                return try statement.step() ? statement.int64(0) : 0
            }
        }
    }

    /// Runs raw SQL on the writer in its own transaction; for tests that the schema refuses it.
    func rawWrite(_ sql: String, _ values: [SQLValue] = []) throws {
        try store.write { try $0.run(sql, values) }
    }
}

/// A store at `path` migrated only up to the version before `migration`: the older database a
/// test of that migration fills before opening it with today's store.
func store(before migration: Migration, at path: String) throws -> CustomerStore {
    var options = StoreOptions()
    options.migrateUpTo = migration.version - 1
    return try CustomerStore(path: path, options: options)
}
