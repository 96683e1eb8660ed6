import Foundation
import Synchronization
import TestSupport
import Testing
@testable import SQLiteEngine

/// How `ConnectionPool` shares its connections out among the owners (OS users) waiting for one.
@Suite struct ConnectionPoolShareTests {
    /// The owners of the reads that got a connection, in the order they got it.
    final class Order: Sendable {
        private let owners = Mutex<[UInt32]>([])
        func append(_ owner: UInt32) { owners.withLock { $0.append(owner) } }
        var current: [UInt32] { owners.withLock { $0 } }
    }

    /// A thread of `owner`'s holding one of `pool`'s connections until the gate it returns opens.
    static func holdTheConnection(as owner: UInt32, of pool: ConnectionPool) async throws -> (ThreadTask<Void>, Gate) {
        let holder = Gate()
        let holding = ThreadTask {
            ReadOwner.set(owner)
            let reads = pool.beginInterruptibleReads()
            defer { pool.end(reads) }
            try pool.withConnection { _ in holder.hold() }
        }
        try await holder.waitUntilHeld()
        return (holding, holder)
    }

    /// One read of `owner`'s on a thread of its own: it records its owner once it has a connection.
    static func read(as owner: UInt32, on pool: ConnectionPool, order: Order) -> ThreadTask<Void> {
        ThreadTask {
            ReadOwner.set(owner)
            let reads = pool.beginInterruptibleReads()
            defer { pool.end(reads) }
            try pool.withConnection { _ in order.append(owner) }
        }
    }

    /// Owner 1 holds the pool's one connection with three more of its reads queued; owner 2's read,
    /// queued last, gets the connection first once it is given back, and owner 1's reads all run
    /// after it (before: the given-back connection woke any sleeper, and owner 2 came last).
    @Test func aReadOfAnOwnerHoldingNoneGoesBeforeTheQueueOfTheOwnerWhoHolds() async throws {
        try await ConnectionPoolInterruptTests.withPool(capacity: 1) { pool in
            let order = Order()
            let (holding, holder) = try await Self.holdTheConnection(as: 1, of: pool)
            let queued = (0..<3).map { _ in Self.read(as: 1, on: pool, order: order) }
            try await waitUntil("owner 1's three reads to wait") { pool.waitingThreads == 3 }
            let other = Self.read(as: 2, on: pool, order: order)
            try await waitUntil("owner 2's read to wait") { pool.waitingThreads == 4 }
            holder.open()
            try await withDeadline("every read to end") {
                try await holding.value
                try await other.value
                for read in queued { try await read.value }
            }
            #expect(order.current == [2, 1, 1, 1])
        }
    }

    /// Two owners each with three reads queued behind a held connection of a pool of one take
    /// turns, and a lone owner's reads all run: no owner waits for ever.
    @Test func twoOwnersOnAPoolOfOneTakeTurns() async throws {
        try await ConnectionPoolInterruptTests.withPool(capacity: 1) { pool in
            let order = Order()
            let holder = Gate()
            let holding = ThreadTask { try pool.withConnection { _ in holder.hold() } }
            try await holder.waitUntilHeld()
            var reads: [ThreadTask<Void>] = []
            for owner: UInt32 in [1, 1, 1, 2, 2, 2] {
                reads.append(Self.read(as: owner, on: pool, order: order))
                let waiting = reads.count
                try await waitUntil("read \(waiting) to wait") { pool.waitingThreads == waiting }
            }
            holder.open()
            let started = reads
            try await withDeadline("every read to end") {
                try await holding.value
                for read in started { try await read.value }
            }
            #expect(order.current == [1, 2, 1, 2, 1, 2])
        }
    }

    /// Owner 1 holds the pool's one connection with three more of its reads queued: as no other
    /// owner waits, the connection given back is handed to none of them (each is woken in turn and
    /// takes it itself, as a running thread of owner 1 could) and every read runs. Before, each
    /// check-in handed the connection to a sleeper, reserved for a thread not running yet, and
    /// every newcomer queued behind: a convoy of futex wakes at 16 connections on 4 readers.
    @Test func threadsOfOneOwnerWaitingAreHandedNothing() async throws {
        try await ConnectionPoolInterruptTests.withPool(capacity: 1) { pool in
            let order = Order()
            let (holding, holder) = try await Self.holdTheConnection(as: 1, of: pool)
            let queued = (0..<3).map { _ in Self.read(as: 1, on: pool, order: order) }
            try await waitUntil("owner 1's three reads to wait") { pool.waitingThreads == 3 }
            holder.open()
            try await withDeadline("every read to end") {
                try await holding.value
                for read in queued { try await read.value }
            }
            #expect(order.current == [1, 1, 1])
            #expect(pool.grantsMade == 0)
            #expect(pool.waitingThreads == 0)
        }
    }

    /// Owners 1 and 2 each hold one of a pool of two, owner 2's read queued before owner 1's. Owner 1
    /// gives its connection back: it now holds none and owner 2 one, so owner 1's read goes first
    /// (before: the connection handed out was counted as still the giver's, owner 1 ranked as
    /// holding one and after owner 2, whose read went first).
    @Test func anOwnerGivingBackItsOnlyConnectionCountsAsHoldingNone() async throws {
        try await ConnectionPoolInterruptTests.withPool(capacity: 2) { pool in
            let order = Order()
            let holders = [Gate(), Gate()]
            let holding = zip([UInt32(1), 2], holders).map { owner, gate in
                ThreadTask {
                    ReadOwner.set(owner)
                    let reads = pool.beginInterruptibleReads()
                    defer { pool.end(reads) }
                    try pool.withConnection { _ in gate.hold() }
                }
            }
            for gate in holders { try await gate.waitUntilHeld() }
            let second = Self.read(as: 2, on: pool, order: order)
            try await waitUntil("owner 2's read to wait") { pool.waitingThreads == 1 }
            let first = Self.read(as: 1, on: pool, order: order)
            try await waitUntil("owner 1's read to wait") { pool.waitingThreads == 2 }
            holders[0].open()
            try await waitUntil("a read to get the connection given back") { !order.current.isEmpty }
            holders[1].open()
            try await withDeadline("every read to end") {
                for task in holding { try await task.value }
                try await first.value
                try await second.value
            }
            #expect(order.current == [1, 2])
        }
    }
}
