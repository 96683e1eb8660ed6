import Glibc
import Synchronization
import ThreadSync

/// A fixed-size pool of connections, created lazily, each checked out by one thread at a time.
///
/// Taking and giving back a connection is one compare-exchange and one store on the slot's own
/// atomic: no lock is shared by the threads that read. With 16 server connection threads on 4
/// readers, the pool's mutex and condition cost about 2 futex calls per get (`perf stat`), because
/// a thread preempted while holding the lock (or a reader) made the others sleep on it. A thread
/// sleeps now only when every slot is busy, on a condition that a check-in rings only while someone
/// sleeps. Each thread starts its search at a slot of its own (by thread), so threads that call again
/// mostly find the connection they used last, its statements and pages still warm.
public final class ConnectionPool: Sendable {
    private let slots: [Slot]
    /// Threads asleep (or about to sleep) in ``waitForCheckIn()``; a check-in rings only when > 0.
    private let sleepers = Atomic<Int>(0)
    /// Where sleepers wait; the value is unused: what they wait for is a slot's state.
    private let bell = ConditionalState(())
    private let isClosed = Atomic<Bool>(false)
    private let makeConnection: @Sendable () throws -> SQLiteConnection

    /// - Parameter capacity: the most connections that ever exist at once.
    public init(capacity: Int, makeConnection: @escaping @Sendable () throws -> SQLiteConnection) {
        slots = (0..<max(1, capacity)).map { _ in Slot() }
        self.makeConnection = makeConnection
    }

    /// Runs `body` with a connection of its own, waiting while all are in use.
    public func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let (slot, connection) = try checkOut()
        defer { checkIn(slot) }
        return try body(connection)
    }

    private func checkOut() throws -> (Slot, SQLiteConnection) {
        let first = Self.firstSlot(count: slots.count)
        while true {
            if isClosed.load(ordering: .sequentiallyConsistent) { throw ConnectionClosedError() }
            if let slot = claim(Slot.idle, from: first), let connection = slot.connection {
                return try handOut(slot, connection)
            }
            if let slot = claim(Slot.empty, from: first) {
                // Opening does file I/O, so it runs with only this slot reserved.
                let connection: SQLiteConnection
                do {
                    connection = try makeConnection()
                } catch {
                    slot.state.store(Slot.empty, ordering: .sequentiallyConsistent)
                    ringIfSleepers()
                    throw error
                }
                slot.connection = connection
                return try handOut(slot, connection)
            }
            waitForCheckIn()
        }
    }

    /// A slot claimed while close() ran is given back at once (the check-in closes its connection):
    /// no connection is used after the pool closed.
    private func handOut(_ slot: Slot, _ connection: SQLiteConnection) throws -> (Slot, SQLiteConnection) {
        guard !isClosed.load(ordering: .sequentiallyConsistent) else {
            checkIn(slot)
            throw ConnectionClosedError()
        }
        return (slot, connection)
    }

    /// Takes the first slot in state `wanted` (idle or empty), searching from `first` round the pool.
    private func claim(_ wanted: Int, from first: Int) -> Slot? {
        for offset in 0..<slots.count {
            let slot = slots[(first + offset) % slots.count]
            if slot.state.load(ordering: .relaxed) == wanted,
               slot.state.compareExchange(expected: wanted, desired: Slot.busy, ordering: .acquiringAndReleasing).exchanged {
                return slot
            }
        }
        return nil
    }

    private func checkIn(_ slot: Slot) {
        slot.state.store(Slot.idle, ordering: .sequentiallyConsistent)
        // Sequentially consistent with close()'s store-then-sweep: either its sweep sees this slot
        // idle and closes the connection, or this load sees the pool closed and closes it here.
        if isClosed.load(ordering: .sequentiallyConsistent) {
            closeIfIdle(slot)
            return
        }
        ringIfSleepers()
    }

    /// Wakes one sleeper after a slot became claimable. The lock is taken (and let go) first so the
    /// ring cannot fall between a sleeper's last look at the slots and its wait (it looks and waits
    /// holding it); the signal comes after, so the woken thread does not block on a lock still held.
    private func ringIfSleepers() {
        guard sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        bell.withLock { _ in }
        bell.signal()
    }

    /// Sleeps until a check-in rings, unless a slot is claimable (or the pool closed) by now.
    /// Counted in `sleepers` before the look, sequentially consistent with a check-in's
    /// store-then-load: either the look sees its slot free, or the check-in sees this sleeper.
    private func waitForCheckIn() {
        sleepers.add(1, ordering: .sequentiallyConsistent)
        defer { sleepers.subtract(1, ordering: .sequentiallyConsistent) }
        bell.withCondition { held in
            let claimable = isClosed.load(ordering: .sequentiallyConsistent) || slots.contains {
                let state = $0.state.load(ordering: .sequentiallyConsistent)
                return state == Slot.idle || state == Slot.empty
            }
            if !claimable { held.wait() }
        }
    }

    /// Closes the idle connections now and the busy ones when they come back; later checkouts fail.
    public func close() {
        guard !isClosed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        bell.withCondition { $0.broadcast() }
        for slot in slots {
            // An empty slot is retired so that no checkout opens a connection into it any more.
            if !slot.state.compareExchange(expected: Slot.empty, desired: Slot.closed,
                                          ordering: .sequentiallyConsistent).exchanged {
                closeIfIdle(slot)
            }
        }
    }

    /// Closes the slot's connection if it is idle; whoever (close or a check-in) wins the exchange does it.
    private func closeIfIdle(_ slot: Slot) {
        guard slot.state.compareExchange(expected: Slot.idle, desired: Slot.closed,
                                         ordering: .sequentiallyConsistent).exchanged else { return }
        slot.connection?.close()
        slot.connection = nil
    }

    /// Spreads threads over the slots by their pthread id (a thread keeps its starting slot).
    private static func firstSlot(count: Int) -> Int {
        guard count > 1 else { return 0 }
        // Fibonacci hashing: thread descriptors are page-aligned addresses, so the low bits say nothing.
        let hashed = UInt64(pthread_self()) &* 0x9E37_79B9_7F4A_7C15
        return Int(hashed >> 32) % count
    }
}

/// One connection's place in the pool. `state` decides who may touch `connection`.
///
/// `@unchecked Sendable`: `connection` is read and written only by the thread that moved `state` to
/// `busy` (a checkout; the compare-exchange acquires what the last check-in released) or from
/// `idle` to `closed` (the one close or check-in that won that exchange); the store that makes it
/// `idle` again releases it, so no two threads ever reach it at once.
private final class Slot: @unchecked Sendable {
    static let empty = 0, idle = 1, busy = 2, closed = 3

    let state = Atomic<Int>(Slot.empty)
    var connection: SQLiteConnection?
}
