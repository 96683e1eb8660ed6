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
        let pool = ConnectionPool(capacity: 2) {
            made.add(1)
            return try database.openReader()
        }
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
}
