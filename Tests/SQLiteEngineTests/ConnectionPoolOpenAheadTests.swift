import TestSupport
import Foundation
import Synchronization
import Testing
import SQLiteEngine

/// ``ConnectionPool/openAll()``: the readers a server opens on a thread of its own once it answers,
/// so the first reads after a start do not each pay an opening (docs/PERFORMANCE.md "serve34").
@Suite struct ConnectionPoolOpenAheadTests {
    /// Every connection opened once, ahead; the reads after it open none, and a second call none.
    @Test func openingAheadOpensEachConnectionOnceAndReadsUseThem() async throws {
        let database = try TemporaryDatabase()
        let writer = try database.openWriter()
        defer { writer.close() }
        let made = Counter()
        let pool = ConnectionPool(capacity: 3) {
            made.add(1)
            return try database.openReader()
        }
        defer { pool.close() }
        #expect(pool.openAll() == 3)
        #expect(made.current == 3)
        // Reads from several threads at once: on the connections opened ahead.
        let results = try await onThreads(6) { _ in
            Result { try (0..<20).map { _ in try pool.withConnection { try $0.pragma("query_only") } } }
        }
        for result in results { #expect(try result.get().allSatisfy { $0 == "1" }) }
        #expect(made.current == 3)
        #expect(pool.openAll() == 0)
        #expect(made.current == 3)
    }

    /// A connection that fails to open ahead is left unopened: the first read that needs it opens
    /// it (and would report its error), as without opening ahead.
    @Test func aConnectionThatFailsToOpenAheadIsOpenedByTheFirstRead() throws {
        let database = try TemporaryDatabase()
        let writer = try database.openWriter()
        defer { writer.close() }
        let attempts = Counter()
        let pool = ConnectionPool(capacity: 1) {
            if attempts.add(1) == 1 { throw SQLiteError(code: 24, message: "too many open files", context: "test") }
            return try database.openReader()
        }
        defer { pool.close() }
        #expect(pool.openAll() == 0)
        #expect(try pool.withConnection { try $0.pragma("query_only") } == "1")
        #expect(attempts.current == 2)
    }

    /// A pool closed while it opens ahead: `close()` returns only once the connection being opened
    /// is opened and closed again (a store closes its writer after its readers, and a reader still
    /// open then would keep the WAL), and nothing more is opened; a closed pool opens nothing ahead.
    @Test func closingWhileOpeningAheadWaitsForTheOpeningAndLeavesNothingOpen() async throws {
        let database = try TemporaryDatabase()
        let writer = try database.openWriter()
        defer { writer.close() }
        let gate = Gate()
        let made = Mutex<[SQLiteConnection]>([])
        let order = Mutex<[String]>([])
        let pool = ConnectionPool(capacity: 1) {
            let connection = try database.openReader()
            made.withLock { $0.append(connection) }
            gate.hold()
            order.withLock { $0.append("opened") }
            return connection
        }
        let opener = ThreadTask { pool.openAll() }
        try await gate.waitUntilHeld()
        // A read waiting for the one connection fails once the close has begun (it rings the waiters).
        let waiter = ThreadTask { try pool.withConnection { _ in } }
        let closer = ThreadTask {
            pool.close()
            order.withLock { $0.append("closed") }
        }
        let waited = try await withDeadline("the waiting read, once the close began") { await waiter.result }
        #expect(throws: ConnectionClosedError()) { try waited.get() }
        gate.open()
        try await withDeadline("the close") { try await closer.value }
        #expect(try await withDeadline("the opening ahead") { try await opener.value } == 1)
        #expect(order.withLock { $0 } == ["opened", "closed"])
        let connections = made.withLock { $0 }
        #expect(connections.count == 1)
        for connection in connections {
            #expect(throws: ConnectionClosedError()) { try connection.statement("SELECT 1") }
        }
        #expect(pool.openAll() == 0)
    }
}
