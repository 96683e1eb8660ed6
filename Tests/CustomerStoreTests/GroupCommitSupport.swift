import TestSupport
import Foundation
import Synchronization
@testable import CustomerStore
import SQLiteEngine

/// What the bodies of a test did, in the order they ran.
final class RunLog: Sendable {
    private let entries = Mutex<[String]>([])

    func append(_ entry: String) {
        entries.withLock { $0.append(entry) }
    }

    var all: [String] { entries.withLock { $0 } }
}

extension Fixture {
    /// A fixture with a scratch table `log (id, name)` the test bodies write to.
    ///
    /// The group budget is a minute unless a test asks for another: the tests say which writes
    /// share a group, and with the real 10 ms a busy machine that deschedules the writer between
    /// two members split groups the tests meant as one.
    static func withLogTable(groupBudgetNanoseconds: UInt64 = 60_000_000_000) throws -> Fixture {
        let fixture = try Fixture(groupBudgetNanoseconds: groupBudgetNanoseconds)
        try fixture.rawWrite("CREATE TABLE log (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        return fixture
    }

    /// Starts a write of `name` to `log` on its own thread, held inside its body by `gate` (so it
    /// keeps the writer's lead until the gate opens); returns once it is held.
    func startHeldWrite(_ gate: Gate, _ name: String = "A") async throws -> ThreadTask<Int64> {
        let task = ThreadTask { try store.write { gate.hold(); return try insertLog($0, name) } }
        try await gate.waitUntilHeld()
        return task
    }

    /// The names in `log`, by id (committed rows only: read on a reader).
    func loggedNames() throws -> [String] {
        try store.read { connection in
            try connection.withStatement("SELECT name FROM log ORDER BY id") { statement in
                var names: [String] = []
                while try statement.step() { names.append(statement.text(0)) }
                return names
            }
        }
    }

    /// Starts `body` as a write on its own thread while the writer is held, and returns once the
    /// call is queued (the writer then has `queued` calls waiting), so calls queue in start order.
    func startQueuedWrite<T: Sendable>(queued: Int, _ body: @escaping @Sendable (SQLiteConnection) throws -> T)
        async throws -> ThreadTask<T> {
        let task = ThreadTask { try store.write(body) }
        try await waitUntilQueued(queued)
        return task
    }

    /// Returns once `count` calls wait in the writer's queue.
    func waitUntilQueued(_ count: Int) async throws {
        let writer = store.writer
        try await waitUntil("\(count) writes to wait in the writer's queue") { writer.statistics.waiting >= count }
    }
}

/// Inserts `name` into `log` and returns how many rows the body then sees (its own included).
@discardableResult
func insertLog(_ connection: SQLiteConnection, _ name: String) throws -> Int64 {
    try connection.run("INSERT INTO log (name) VALUES (?)", [.text(name)])
    return try connection.withStatement("SELECT count(*) FROM log") { try $0.step() ? $0.int64(0) : -1 }
}
