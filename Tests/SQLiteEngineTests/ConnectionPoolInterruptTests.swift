import CSQLite
import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing
import SQLiteEngine

/// `ConnectionPool.interrupt(_:)`: what a call's cancellation does to the reads it runs or waits for.
@Suite struct ConnectionPoolInterruptTests {
    /// Counts to `rows` in one statement: a read that takes minutes for a billion rows, so only
    /// an interrupt ends it within the test's bound.
    static func count(to rows: Int, on connection: SQLiteConnection) throws -> Int64 {
        try connection.withStatement(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < \(rows)) SELECT count(*) FROM c"
        ) { try $0.step() ? $0.int64(0) : -1 }
    }

    /// The result code a read ends with: OK, or the SQLite error's primary code.
    static func outcome(_ read: () throws -> Int64) -> Int32 {
        do {
            _ = try read()
            return SQLITE_OK
        } catch let error as SQLiteError {
            return error.primaryCode
        } catch {
            return -1
        }
    }

    /// The interrupt reaches the call's checked-out connection whether its statement runs yet or
    /// not, the call's next checkout fails at once too, and once the call ended its thread reads
    /// normally again and a late interrupt does nothing.
    @Test func anInterruptedCallsReadsStopUntilItEnds() async throws {
        try await Self.withPool(capacity: 1) { pool in
            let call = Mutex<ReadInterruption?>(nil)
            let gate = Gate()
            let reading = ThreadTask { () -> [Int32] in
                let reads = pool.beginInterruptibleReads()
                call.withLock { $0 = reads }
                // In a read transaction, as the store reads: it must not stay open after the interrupt.
                let endless = Self.outcome { try pool.withConnection { connection in
                    gate.hold()
                    return try connection.transaction("BEGIN DEFERRED") { try Self.count(to: 1_000_000_000, on: connection) }
                } }
                let next = Self.outcome { try pool.withConnection { try Self.count(to: 10, on: $0) } }
                pool.end(reads)
                pool.interrupt(reads)
                let afterEnd = Self.outcome { try pool.withConnection { connection in
                    try connection.transaction("BEGIN DEFERRED") { try Self.count(to: 10, on: connection) }
                } }
                return [endless, next, afterEnd]
            }
            try await gate.waitUntilHeld()
            // Before its statement started: the interrupt waits in the slot for it.
            pool.interrupt(try #require(call.withLock { $0 }))
            gate.open()
            let codes = try await withDeadline("the interrupted count to a billion to stop") { try await reading.value }
            #expect(codes == [SQLITE_INTERRUPT, SQLITE_INTERRUPT, SQLITE_OK], "endless, next read, read after the end: \(codes)")
        }
    }

    /// An interrupted call asleep waiting for a connection (all are held) wakes and fails instead
    /// of running its query once one is free.
    @Test func anInterruptedCallWaitingForAConnectionFailsWithoutReading() async throws {
        try await Self.withPool(capacity: 1) { pool in
            let holder = Gate()
            let holding = ThreadTask { try pool.withConnection { _ in holder.hold() } }
            try await holder.waitUntilHeld()
            let call = Mutex<ReadInterruption?>(nil)
            let ran = Mutex(false)
            let waiting = ThreadTask { () -> Int32 in
                let reads = pool.beginInterruptibleReads()
                defer { pool.end(reads) }
                call.withLock { $0 = reads }
                return Self.outcome { try pool.withConnection { connection in
                    ran.withLock { $0 = true }
                    return try Self.count(to: 10, on: connection)
                } }
            }
            try await waitUntil("the waiting call to begin") { call.withLock { $0 != nil } }
            pool.interrupt(try #require(call.withLock { $0 }))
            let code = try await withDeadline("the interrupted waiting call to end") { try await waiting.value }
            holder.open()
            try await withDeadline("the holder to end") { try await holding.value }
            #expect(code == SQLITE_INTERRUPT)
            #expect(!ran.withLock { $0 }, "the interrupted call ran its read")
        }
    }

    /// Interrupting one call leaves the reads of another alone.
    @Test func anInterruptOfAnotherCallLeavesTheReadAlone() async throws {
        try await Self.withPool(capacity: 2) { pool in
            // The other call's thread stays until the test is done: an ended thread's id may be
            // given to the reading thread, and the interrupt would then rightly reach its reads.
            let other = Mutex<ReadInterruption?>(nil)
            let otherAlive = Gate()
            let otherCall = ThreadTask {
                let reads = pool.beginInterruptibleReads()
                other.withLock { $0 = reads }
                otherAlive.hold()
                pool.end(reads)
            }
            try await otherAlive.waitUntilHeld()
            defer { otherAlive.open() }
            let gate = Gate()
            let reading = ThreadTask { () -> Int64 in
                let reads = pool.beginInterruptibleReads()
                defer { pool.end(reads) }
                return try pool.withConnection { connection in
                    gate.hold()
                    return try Self.count(to: 100_000, on: connection)
                }
            }
            try await gate.waitUntilHeld()
            pool.interrupt(try #require(other.withLock { $0 }))
            gate.open()
            let counted = try await withDeadline("the uninterrupted count to end") { try await reading.value }
            otherAlive.open()
            try await withDeadline("the other call to end") { try await otherCall.value }
            #expect(counted == 100_000)
        }
    }

    /// `end` takes no lock: an interrupt racing a call's end (another thread interrupting the
    /// thread's calls as fast as it can) either reaches the call or nothing, never the reads the
    /// thread runs after the end. Every iteration's read after its call ended must succeed.
    @Test func anInterruptRacingTheCallsEndNeverReachesTheThreadsLaterReads() async throws {
        try await Self.withPool(capacity: 1) { try await Self.raceInterruptsWithEnds(on: $0) }
    }

    /// A pool of `capacity` readers on a new database whose writer stays open, for `body`.
    static func withPool(capacity: Int, _ body: (ConnectionPool) async throws -> Void) async throws {
        let database = try TemporaryDatabase()
        let writer = try database.openWriter()
        defer { writer.close() }
        let pool = ConnectionPool(capacity: capacity) { try database.openReader() }
        defer { pool.close() }
        try await body(pool)
    }

    static func raceInterruptsWithEnds(on pool: ConnectionPool) async throws {
        let call = Mutex<ReadInterruption?>(nil)
        let finished = Atomic<Bool>(false)
        let interrupts = Atomic<Int>(0)
        let interrupter = ThreadTask {
            while !finished.load(ordering: .relaxed) {
                if let reads = call.withLock({ $0 }) {
                    pool.interrupt(reads)
                    interrupts.add(1, ordering: .relaxed)
                }
            }
        }
        let reading = ThreadTask { () -> [Int32] in
            defer { finished.store(true, ordering: .relaxed) }
            var failures: [Int32] = []
            // 2 000 calls, more while the interrupter has hardly run yet (a starved machine), bounded.
            var calls = 0
            while calls < 2_000 || (interrupts.load(ordering: .relaxed) < 1_000 && calls < 200_000) {
                calls += 1
                let reads = pool.beginInterruptibleReads()
                call.withLock { $0 = reads }
                _ = Self.outcome { try pool.withConnection { try Self.count(to: 10, on: $0) } }
                pool.end(reads)
                let after = Self.outcome { try pool.withConnection { try Self.count(to: 10, on: $0) } }
                if after != SQLITE_OK { failures.append(after) }
            }
            return failures
        }
        let failures = try await withDeadline("2 000 calls raced by interrupts to end") { try await reading.value }
        try await withDeadline("the interrupter to stop") { try await interrupter.value }
        #expect(failures.isEmpty, "reads after their call ended failed: \(failures.count), codes \(Set(failures))")
        #expect(interrupts.load(ordering: .relaxed) > 0, "the interrupter never ran")
    }
}
