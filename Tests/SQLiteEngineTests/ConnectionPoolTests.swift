import TestSupport
import Foundation
import Synchronization
import Testing
import SQLiteEngine

/// A counter shared by the test's threads.
final class Counter: Sendable {
    private let value = Mutex(0)

    /// Adds `delta` and returns the new value.
    @discardableResult
    func add(_ delta: Int) -> Int { value.withLock { $0 += delta; return $0 } }

    /// Raises the value to `other` if it is larger.
    func raise(to other: Int) { value.withLock { $0 = max($0, other) } }

    var current: Int { value.withLock { $0 } }
}

@Suite struct ConnectionPoolTests {
    /// Connections are made lazily, never more than the capacity, and reused once checked in.
    @Test func connectionsAreMadeLazilyUpToCapacityAndReused() async throws {
        let database = try TemporaryDatabase()
        let writer = try database.openWriter()
        defer { writer.close() }
        let made = Counter()
        let pool = countingPool(capacity: 2, on: database, made: made)
        defer { pool.close() }
        #expect(made.current == 0)
        let first = try pool.withConnection { ObjectIdentifier($0) }
        let second = try pool.withConnection { ObjectIdentifier($0) }
        #expect(first == second && made.current == 1)

        // Three callers at once, each holding its connection until all have started or waited:
        // the third waits for one of the two, so no more than two connections are ever made.
        let inside = Counter()
        let mostInside = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await onThread {
                        try pool.withConnection { _ in
                            let now = inside.add(1)
                            mostInside.raise(to: now)
                            usleep(20_000)
                            inside.add(-1)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(mostInside.current <= 2)
        #expect(made.current <= 2)
    }

    /// A failed open gives its slot back, so a later checkout can try again.
    @Test func aFailedOpenFreesItsSlot() throws {
        let database = try TemporaryDatabase()
        let failures = Counter()
        let pool = ConnectionPool(capacity: 1) {
            if failures.add(1) == 1 { throw SQLiteError(code: 14, message: "unable to open", context: "test") }
            return try database.openReader()
        }
        defer { pool.close() }
        #expect(throws: SQLiteError.self) { try pool.withConnection { _ in } }
        let writer = try database.openWriter()
        defer { writer.close() }
        #expect(try pool.withConnection { try $0.pragma("query_only") } == "1")
    }

    /// After close, checkouts fail with `ConnectionClosedError`.
    @Test func aClosedPoolRefusesCheckouts() throws {
        let database = try TemporaryDatabase()
        let writer = try database.openWriter()
        defer { writer.close() }
        let pool = ConnectionPool(capacity: 1) { try database.openReader() }
        try pool.withConnection { _ in }
        pool.close()
        #expect(throws: ConnectionClosedError()) { try pool.withConnection { _ in } }
    }

    /// Many threads taking turns on few connections (the server's connection threads on the store's
    /// readers): no connection is ever held by two threads at once, none beyond the capacity is
    /// made, and every waiting thread gets its turn (a lost wake-up fails the deadline, not a hang).
    @Test func manyThreadsShareFewConnectionsOneAtATime() async throws {
        let database = try TemporaryDatabase()
        let writer = try database.openWriter()
        defer { writer.close() }
        let made = Counter()
        let pool = countingPool(capacity: 2, on: database, made: made)
        defer { pool.close() }
        let holders = Mutex<[ObjectIdentifier: Int]>([:])
        let mostHolders = Counter()
        let checkouts = Counter()
        let threads = (0..<8).map { _ in
            ThreadTask {
                for _ in 0..<300 {
                    try pool.withConnection { connection in
                        let id = ObjectIdentifier(connection)
                        let now = holders.withLock { $0[id, default: 0] += 1; return $0[id, default: 0] }
                        mostHolders.raise(to: now)
                        _ = try connection.pragma("query_only")
                        if checkouts.add(1) % 7 == 0 { sched_yield() }
                        holders.withLock { $0[id, default: 0] -= 1 }
                    }
                }
            }
        }
        try await withDeadline("8 threads making 300 checkouts each from a pool of 2") {
            for thread in threads { try await thread.value }
        }
        #expect(checkouts.current == 8 * 300)
        #expect(mostHolders.current == 1)
        #expect(made.current <= 2)
    }

    /// Closing while a connection is out: a checkout waiting for it fails at once, the connection is
    /// closed when its holder gives it back (not under the holder), and later checkouts fail.
    @Test func closingWhileAConnectionIsOutClosesItOnItsReturn() async throws {
        let database = try TemporaryDatabase()
        let writer = try database.openWriter()
        defer { writer.close() }
        let pool = ConnectionPool(capacity: 1) { try database.openReader() }
        let gate = Gate()
        let holder = ThreadTask { () throws -> SQLiteConnection in
            try pool.withConnection { connection in
                gate.hold()
                // Still open while held, although the pool closed meanwhile.
                _ = try connection.statement("SELECT 1")
                return connection
            }
        }
        try await gate.waitUntilHeld()
        let waiter = ThreadTask { try pool.withConnection { _ in } }
        pool.close()
        let waited = try await withDeadline("the waiting checkout after close") { await waiter.result }
        #expect(throws: ConnectionClosedError()) { try waited.get() }
        gate.open()
        let returned = try await withDeadline("the holder's return") { try await holder.value }
        #expect(throws: ConnectionClosedError()) { try returned.statement("SELECT 2") }
        #expect(throws: ConnectionClosedError()) { try pool.withConnection { _ in } }
    }
}

/// A pool of readers on `database` that counts in `made` the connections it opens.
private func countingPool(capacity: Int, on database: TemporaryDatabase, made: Counter) -> ConnectionPool {
    ConnectionPool(capacity: capacity) {
        made.add(1)
        return try database.openReader()
    }
}
