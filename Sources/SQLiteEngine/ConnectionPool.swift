import CSQLite
import Glibc
import Synchronization
import ThreadSync

/// A fixed-size pool of connections, created lazily (or ahead, ``openAll()``), each checked out by
/// one thread at a time.
///
/// Taking and giving back a connection is one compare-exchange and one store on the slot's own
/// atomic: no lock is shared by the threads that read. With 16 server connection threads on 4
/// readers, the pool's mutex and condition cost about 2 futex calls per get (`perf stat`), because
/// a thread preempted while holding the lock (or a reader) made the others sleep on it. A thread
/// sleeps now only when every slot is busy, on a condition that a check-in rings only while someone
/// sleeps. Each thread starts its search at a slot of its own (by thread), so threads that call again
/// mostly find the connection they used last, its statements and pages still warm.
///
/// While threads of several owners wait, connections are shared out by owner (``ReadOwner``, the OS
/// uid of the call): a connection given back goes to the waiting owner that holds fewest, the first
/// come of its threads, and a newcomer queues instead of taking it. So one user looping expensive
/// reads on many connections holds the readers only while nobody else waits: another user's read
/// waits for the first of them to end, not behind that user's queue (before, a check-in woke any one
/// sleeper and the newcomers raced it: another user's get waited seconds). A lone owner still gets
/// them all.
///
/// While the threads waiting are all one owner's, the queue steps aside: a newcomer of that owner
/// takes a free connection as if nobody waited, and a check-in hands nothing out; it wakes the
/// first come (one at a time) to claim a free one itself. Handing every connection given back to a
/// sleeper made a convoy at 16 connections on 4 readers: once one thread slept, every newcomer
/// queued and every get paid a futex wake and a context switch, the connection reserved for a
/// thread not yet running, and the queue never drained (perfdoc20: 10 076 futex calls in a
/// 10 000-get run, 97 % in this queue). Between threads of one owner there is no share to keep.
public final class ConnectionPool: Sendable {
    private let slots: [Slot]
    /// Threads asleep (or about to sleep) in ``waitForGrant(_:owner:)``; while > 0 a check-in shares
    /// its slot out (`shareOut`) and newcomers queue, unless all that wait are of the newcomer's owner.
    private let sleepers = Atomic<Int>(0)
    /// The queue of sleepers that a check-in hands its slot to. Each sleeps on a bell of its own
    /// (`WaiterBell`), rung only by the grant that chose it (or by an interrupt of its call, or by
    /// close): a bell shared by all, broadcast at every grant, woke every waiter for each slot given
    /// back, and one user's thousands of queued reads would have made each check-in wake thousands
    /// of threads.
    private let waiting = Mutex(ReaderQueue<Slot, WaiterBell>())
    /// `waiting`'s ``ReaderQueue/soleOwner`` as of its last change (``noneWaits`` or ``severalWait``
    /// otherwise), for a newcomer to look at without the lock: one of that owner takes a free slot.
    private let waitingOwner = Atomic<Int>(ConnectionPool.noneWaits)
    private static let noneWaits = Int.min, severalWait = Int.min + 1
    /// Threads in `waiting`'s queue (counted in the lock that queues them, after `sleepers`), for tests.
    private let queued = Atomic<Int>(0)
    /// Slots handed to a waiting thread by the queue (``ReaderQueue/grant(_:from:holding:)``), for tests.
    private let grants = Atomic<Int>(0)
    private let isClosed = Atomic<Bool>(false)
    /// Held by ``openAll()`` while it runs, so that ``close()`` can wait for it.
    private let openingAhead = Mutex<Void>(())
    private let makeConnection: @Sendable () throws -> SQLiteConnection
    /// Threads whose call was interrupted and has not ended: their checkouts fail at once, so an
    /// abandoned call that was still waiting for a connection never runs its query.
    private let interrupted = Mutex<Set<pthread_t>>([])
    /// `interrupted`'s size (plus interrupts under way), so a checkout or a call's end looks at the
    /// set (and its lock) only while it is not empty.
    private let interruptedCount = Atomic<Int>(0)

    /// - Parameter capacity: the most connections that ever exist at once.
    public init(capacity: Int, makeConnection: @escaping @Sendable () throws -> SQLiteConnection) {
        slots = (0..<max(1, capacity)).map { _ in Slot() }
        self.makeConnection = makeConnection
    }

    /// Runs `body` with a connection of its own, waiting while all are in use.
    public func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let thread = pthread_self()
        let (slot, connection) = try checkOut(thread)
        slot.hold(by: thread)
        defer {
            slot.release()
            checkIn(slot)
        }
        // An interrupt that came between the checkout's look and the hold missed the slot; it is
        // in the set by now (it inserts before it looks at the slots).
        if isInterrupted(thread) { throw Self.interruptedBeforeReading }
        return try body(connection)
    }

    // MARK: Interruption

    /// Starts a call whose reads ``interrupt(_:)`` may stop; call it on the thread the call's reads
    /// run on, and ``end(_:)`` once the call is over.
    public func beginInterruptibleReads() -> ReadInterruption {
        ReadInterruption(pool: self, thread: pthread_self())
    }

    /// Stops the reads of `reads`' call (its caller has gone or its deadline passed): the statement
    /// running on a connection its thread holds fails with `SQLITE_INTERRUPT`, and so does every
    /// later step until the connection is given back; every later checkout of the call fails so too,
    /// also one asleep waiting for a connection. Safe from any thread; never waits for a query.
    public func interrupt(_ reads: ReadInterruption) {
        let marked = interrupted.withLock { threads -> Bool in
            // Counted before `ended` is looked at, pairing with `end`'s store-then-load (both
            // sequentially consistent): either this load sees the call ended and backs out, or
            // `end`'s load sees the count and waits for this lock, so it cannot pass meanwhile and
            // the thread still runs this call while its slots are marked below.
            interruptedCount.add(1, ordering: .sequentiallyConsistent)
            guard !reads.ended.load(ordering: .sequentiallyConsistent) else {
                interruptedCount.subtract(1, ordering: .sequentiallyConsistent)
                return false
            }
            // Counted once per thread in the set: a second interrupt of the call takes its count back.
            if !threads.insert(reads.thread).inserted { interruptedCount.subtract(1, ordering: .sequentiallyConsistent) }
            for slot in slots { slot.interrupt(ifHeldBy: reads.thread) }
            return true
        }
        if marked {
            let bells = waiting.withLock { $0.bells { pthread_equal($0.thread, reads.thread) != 0 } }
            for bell in bells { bell.ring() }
        }
    }

    /// Ends `reads`' call: its thread reads normally again, and a late ``interrupt(_:)`` does nothing.
    ///
    /// Lock-free unless some call is interrupted: a store and a load (see `interrupt`), where it
    /// took the pool's shared lock on every call of every thread.
    public func end(_ reads: ReadInterruption) {
        reads.ended.store(true, ordering: .sequentiallyConsistent)
        guard interruptedCount.load(ordering: .sequentiallyConsistent) > 0 else { return }
        interrupted.withLock { threads in
            if threads.remove(reads.thread) != nil { interruptedCount.subtract(1, ordering: .sequentiallyConsistent) }
        }
    }

    private func isInterrupted(_ thread: pthread_t) -> Bool {
        interruptedCount.load(ordering: .sequentiallyConsistent) > 0 && interrupted.withLock { $0.contains(thread) }
    }

    static let interruptedBeforeReading = SQLiteError(code: SQLITE_INTERRUPT, message: "interrupted",
                                                      context: "the call ended before its read began")

    private func checkOut(_ thread: pthread_t) throws -> (Slot, SQLiteConnection) {
        let first = Self.firstSlot(count: slots.count)
        let owner = ReadOwner.current
        while true {
            if isClosed.load(ordering: .sequentiallyConsistent) { throw ConnectionClosedError() }
            if isInterrupted(thread) { throw Self.interruptedBeforeReading }
            // While another owner waits, a free slot is theirs to share out (`shareOut`), not the newcomer's.
            var claimed: Slot?
            if sleepers.load(ordering: .sequentiallyConsistent) == 0 || waitingOwner.load(ordering: .relaxed) == owner {
                claimed = claim(Slot.idle, from: first) ?? claim(Slot.empty, from: first)
                claimed?.owner.store(owner, ordering: .relaxed)
            }
            // Nil from the wait: woken by close() or an interrupt, which the loop's checks throw.
            guard let slot = claimed ?? waitForGrant(thread, owner: owner) else { continue }
            if let connection = slot.connection { return try handOut(slot, connection) }
            // An empty slot: opening does file I/O, so it runs with only this slot reserved.
            let connection: SQLiteConnection
            do {
                connection = try makeConnection()
            } catch {
                slot.state.store(Slot.empty, ordering: .sequentiallyConsistent)
                ringIfSleepers()
                throw error
            }
            slot.watch(connection)
            slot.connection = connection
            return try handOut(slot, connection)
        }
    }

    /// Opens every connection not yet open, one after another, each as a checkout opens one (the
    /// slot reserved while it opens, then given back as a check-in gives one back, to a waiting
    /// thread if any waits): for a thread of its own, so that the first reads after a start do
    /// not each pay an opening (~2.75 M instructions, mostly SQLite reading the schema; see
    /// docs/PERFORMANCE.md "serve34"). A slot a reader claimed meanwhile is left to it; a
    /// connection that fails to open is left unopened, for the first read that needs it to open
    /// (and report its error) as before. Returns how many it opened.
    ///
    /// ``close()`` waits for the connection it is opening, if any, and closes it: none is left
    /// open after the pool closed (a store closes its writer after its readers).
    @discardableResult
    public func openAll() -> Int {
        openingAhead.withLock { _ in
            var opened = 0
            for slot in slots where !isClosed.load(ordering: .sequentiallyConsistent) {
                guard slot.state.compareExchange(expected: Slot.empty, desired: Slot.busy,
                                                 ordering: .acquiringAndReleasing).exchanged else { continue }
                // Opened for nobody's call: no owner's while it opens (`shareOut` counts busy slots by owner).
                slot.owner.store(ReadOwner.unknown, ordering: .relaxed)
                guard let connection = try? makeConnection() else {
                    slot.state.store(Slot.empty, ordering: .sequentiallyConsistent)
                    ringIfSleepers()
                    return opened
                }
                slot.watch(connection)
                slot.connection = connection
                checkIn(slot)   // closes it if the pool closed meanwhile
                opened += 1
            }
            return opened
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
    /// - Parameter ordered: read each slot's state first sequentially consistent (see `shareOut`),
    ///   not relaxed.
    private func claim(_ wanted: Int, from first: Int, ordered: Bool = false) -> Slot? {
        for offset in 0..<slots.count {
            let slot = slots[(first + offset) % slots.count]
            let state = ordered ? slot.state.load(ordering: .sequentiallyConsistent) : slot.state.load(ordering: .relaxed)
            if state == wanted,
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

    /// Shares out the slot that became claimable while threads wait. The bells are rung after the
    /// lock is let go, so the woken threads do not block on a lock still held; none misses its ring,
    /// for each looks for its grant under the lock before it sleeps, and a bell keeps a ring that
    /// came before its thread slept.
    private func ringIfSleepers() {
        guard sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        for bell in waiting.withLock({ shareOut(&$0) }) { bell.ring() }
    }

    /// While several owners wait, hands every claimable slot to a waiting thread, the queue choosing
    /// whom (the owner holding fewest, then not the one who gave it back, then the first come); while
    /// one owner waits, rouses its first come if a slot is claimable. Returns the bells to ring once
    /// the lock is let go. Call it holding `waiting`'s lock, after any change to the queue.
    /// Each slot's state is read sequentially consistent, pairing with a check-in's store-then-load
    /// of `sleepers`: either this look sees the slot given back, or that check-in sees the sleeper
    /// and shares the slot out itself.
    private func shareOut(_ queue: inout ReaderQueue<Slot, WaiterBell>) -> [WaiterBell] {
        defer {
            let owner = queue.soleOwner ?? (queue.hasUngranted ? Self.severalWait : Self.noneWaits)
            waitingOwner.store(owner, ordering: .relaxed)
        }
        if queue.soleOwner != nil {
            guard slots.contains(where: { Self.isClaimable($0.state.load(ordering: .sequentiallyConsistent)) }),
                  let bell = queue.rouse() else { return [] }
            return [bell]
        }
        var handed: [WaiterBell] = []
        while queue.hasUngranted,
              let slot = claim(Slot.idle, from: 0, ordered: true) ?? claim(Slot.empty, from: 0, ordered: true) {
            // The slot being handed out is busy (claimed) and still its giver's: not counted, or the
            // giver would rank as holding one more than it does (after an owner that holds one).
            let chosen = queue.grant(slot, from: slot.owner.load(ordering: .relaxed)) { owner in
                slots.reduce(0) { held, other in
                    held + (other !== slot && other.state.load(ordering: .relaxed) == Slot.busy
                        && other.owner.load(ordering: .relaxed) == owner ? 1 : 0)
                }
            }
            slot.owner.store(chosen.owner, ordering: .relaxed)
            grants.add(1, ordering: .relaxed)
            if let bell = chosen.bell { handed.append(bell) }
        }
        return handed
    }

    /// Queues the thread for a slot and sleeps until one is handed to it (returned, claimed for it),
    /// or the pool closes or the call is interrupted (nil). Counted in `sleepers` before it queues,
    /// so from then on check-ins share their slots out instead of leaving them for newcomers.
    private func waitForGrant(_ thread: pthread_t, owner: Int) -> Slot? {
        sleepers.add(1, ordering: .sequentiallyConsistent)
        defer {
            queued.subtract(1, ordering: .relaxed)
            sleepers.subtract(1, ordering: .sequentiallyConsistent)
        }
        let bell = WaiterBell(thread: thread)
        let (ticket, handed) = waiting.withLock { queue in
            let ticket = queue.enqueue(owner: owner, bell: bell)
            queued.add(1, ordering: .relaxed)
            // A slot free now (given back before this thread was counted) may go to another waiter.
            return (ticket, shareOut(&queue))
        }
        for other in handed { other.ring() }
        while true {
            // Looked at under the lock, where grants are made: a granted slot is never left behind.
            // An interrupt or close() changes its flag before it rings (taking this lock to find the
            // bells), so this look sees it or the ring comes after it and wakes the sleep below.
            // While only this thread's owner waits, it claims a free slot itself (nothing is granted
            // then); a check-in that freed one after this look rouses a waiter, so none is missed.
            let (outcome, bells) = waiting.withLock { queue -> (Slot??, [WaiterBell]) in
                if let slot = queue.take(ticket) { return (.some(slot), []) }
                if isClosed.load(ordering: .sequentiallyConsistent) || isInterrupted(thread) {
                    queue.leave(ticket)
                    return (.some(nil), shareOut(&queue))
                }
                if queue.soleOwner == owner,
                   let slot = claim(Slot.idle, from: 0, ordered: true) ?? claim(Slot.empty, from: 0, ordered: true) {
                    slot.owner.store(owner, ordering: .relaxed)
                    queue.leave(ticket)
                    return (.some(slot), shareOut(&queue))
                }
                queue.looked(ticket)
                return (.none, shareOut(&queue))
            }
            for other in bells { other.ring() }
            if let outcome { return outcome }
            bell.sleep()
        }
    }

    /// Threads waiting for a connection now (they sleep while every one is in use), counted once
    /// queued: a thread counted in `sleepers` but not queued yet would miss a check-in's share.
    package var waitingThreads: Int { queued.load(ordering: .relaxed) }

    /// Connections handed to a waiting thread so far (while several owners waited).
    package var grantsMade: Int { grants.load(ordering: .relaxed) }

    private static func isClaimable(_ state: Int) -> Bool { state == Slot.idle || state == Slot.empty }

    /// Closes the idle connections now and the busy ones when they come back; later checkouts fail.
    public func close() {
        guard !isClosed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        for bell in waiting.withLock({ $0.bells { _ in true } }) { bell.ring() }
        for slot in slots {
            // An empty slot is retired so that no checkout opens a connection into it any more.
            if !slot.state.compareExchange(expected: Slot.empty, desired: Slot.closed,
                                          ordering: .sequentiallyConsistent).exchanged {
                closeIfIdle(slot)
            }
        }
        // An `openAll()` under way sees the pool closed before its next slot; the one it opens
        // now is closed at its check-in, before it lets go.
        openingAhead.withLock { _ in }
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

/// The bell one thread waiting for a connection sleeps on: rung by the grant that hands it a
/// connection, an interrupt of its call or the pool's close. A ring before the sleep is kept.
private final class WaiterBell: Sendable {
    /// The waiting thread (an interrupt rings the bells of its call's thread only).
    let thread: pthread_t
    private let rung = ConditionalState(false)

    init(thread: pthread_t) { self.thread = thread }

    func ring() {
        rung.withLock { $0 = true }
        rung.signal()
    }

    /// Sleeps until rung (at once if rung since the last sleep).
    func sleep() {
        rung.withCondition { held in
            held.wait(until: { $0 })
            held.state = false
        }
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
    /// The ``ReadOwner`` the slot was last handed to: whose it counts as while busy (`shareOut`).
    let owner = Atomic<Int>(ReadOwner.unknown)
    /// Set while the thread holding the slot is to stop reading; the progress handler reads it
    /// between SQLite's VM steps, so an interrupt that came between two statements is not lost
    /// (`sqlite3_interrupt` alone is forgotten once no statement runs).
    let interrupted = Atomic<Bool>(false)
    /// Who holds the slot (0: nobody) and its connection's handle, under a lock of the slot's own
    /// so an interrupt can never reach the next holder of a slot given back meanwhile.
    private let holder = Mutex<(thread: pthread_t, handle: OpaquePointer?)>((0, nil))

    /// How many VM steps run between two looks at ``interrupted``: a look is one atomic load,
    /// and 1000 steps take microseconds, so an interrupted query stops within them.
    static let progressPeriod: Int32 = 1_000

    func hold(by thread: pthread_t) {
        let handle = connection?.handle
        holder.withLock { $0 = (thread, handle) }
    }

    func release() {
        holder.withLock { $0 = (0, nil) }
        interrupted.store(false, ordering: .releasing)
    }

    func interrupt(ifHeldBy thread: pthread_t) {
        holder.withLock { held in
            guard held.thread != 0, pthread_equal(held.thread, thread) != 0, let handle = held.handle else { return }
            interrupted.store(true, ordering: .releasing)
            // Safe from another thread while the connection is open, and it is: a busy slot's
            // connection is closed only after its check-in, which first waits for this lock.
            sqlite3_interrupt(handle)
        }
    }

    /// Installs the progress handler that fails the running statement once ``interrupted`` is set.
    /// The slot outlives its connection (the pool keeps its slots; a connection is closed in them).
    func watch(_ connection: SQLiteConnection) {
        sqlite3_progress_handler(connection.handle, Self.progressPeriod, { argument in
            guard let argument else { return 0 }
            let slot = Unmanaged<Slot>.fromOpaque(argument).takeUnretainedValue()
            return slot.interrupted.load(ordering: .acquiring) ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }
}
