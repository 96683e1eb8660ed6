import CSQLite
import Foundation

/// A database's one writer connection, shared by group commit: the writes that queue up while a
/// transaction runs are committed together in the next one, each in its own savepoint, and every
/// caller is answered only after the COMMIT that made its write durable (per `StoreOptions.synchronous`).
///
/// Why: each COMMIT costs a WAL append and, at `synchronous = FULL`, an fsync; with many callers at
/// once, one COMMIT per write makes that cost the limit. The caller that finds nobody leading runs
/// its own write at once, inline (a lone write costs what it cost before: BEGIN IMMEDIATE, body,
/// COMMIT); callers that arrive meanwhile queue, and when the leader is done it wakes the first of
/// them to lead the next group, which takes everything queued behind it. A caller that hands its
/// write over (`write(checksFirst:admission:handingOff:then:)`) does not wait: when such a call
/// heads the queue, the writer's own thread, started the first time it is needed, leads.
///
/// With 64 concurrent creates this raised customer-bench's creates/s from ~2 000 to ~3 300 at
/// NORMAL and from ~1 300 to ~3 200 at FULL; a lone write costs the same (numbers at `commitGroup`).
///
/// Safety of `@unchecked Sendable`: the mutable state (`queue`, `hasLeader`, `leaderThread`,
/// `isClosed`, the own thread's fields, the counters) is read and written only while `lock` is held; the connection is used
/// only by the leader, and there is at most one (`hasLeader`). The queued calls cross threads as `PendingCall`
/// explains.
public final class GroupCommitWriter: @unchecked Sendable {
    /// The most writes in one transaction, so a group's callers wait a bounded time.
    public static let maxGroupSize = 256
    /// A group stops taking further members once it has run this long; they lead the next group.
    public static let groupBudgetNanoseconds: UInt64 = 10_000_000

    /// Counters for tests and diagnostics.
    public struct Statistics: Equatable, Sendable {
        /// Transactions run for `write` (groups, including groups of one).
        public var groups = 0
        /// `write` calls run in them.
        public var writes = 0
        /// Calls queued now, waiting for a leader.
        public var waiting = 0
        /// The most writes one transaction held.
        public var largestGroup = 0
    }

    /// The writer; use it only from a body this writer runs (or before the first write).
    public let connection: SQLiteConnection
    private let lock = NSLock()
    private var queue: [any PendingWrite] = []
    private var hasLeader = false
    /// The thread running the current group; nil between leaders. A write submitted from it would
    /// wait for itself (a body may run further work on the writer, as the store's keyed writes do),
    /// so such a write is refused instead of hanging every writer.
    private var leaderThread: pthread_t?
    private var isClosed = false
    /// The writer's own thread (see `startLeaderThread`): whether it was started, its id once it
    /// ran, and the call handed over to it to lead from (signalled through `leadSignal`).
    private var ownThreadStarted = false
    private var ownThread: pthread_t?
    private var handedLead: (any PendingWrite)?
    private let leadSignal = DispatchSemaphore(value: 0)
    /// Answers the groups the writer's own thread committed while it leads the next one.
    private let completer = CompletionThread()
    private var groups = 0
    private var writes = 0
    private var largestGroup = 0

    /// This writer's group budget (`groupBudgetNanoseconds` but in tests).
    public let budgetNanoseconds: UInt64
    /// Where members that join a batch queue their rows (see ``GroupBatch``); nil: none may.
    let batch: (any GroupBatch)?
    /// Asked once per transaction of `write`, just before its COMMIT (see `init`).
    let beforeCommit: (@Sendable () throws -> Void)?

    /// Takes over `connection` (after any migration has run on it: see below).
    ///
    /// The connection's savepoint journals are kept in memory from here on (`PRAGMA temp_store =
    /// MEMORY`). A group runs each write in a savepoint, and a page an earlier write of the group
    /// changed is copied to the savepoint's journal before the write changes it again; past 64 KiB
    /// SQLite moved that journal to a temporary file: at 64 callers creating customers, strace
    /// counted 925 such files (open, writes, unlink) and 84 175 `pwrite`s for 3 000 creates, and
    /// 3 and 14 804 with the journals in memory. A write's journal holds only the pages it changes.
    /// Not before: with temporary storage in memory SQLite also sorts in memory without bound,
    /// and a migration that builds an index over millions of rows must be free to spill.
    /// - Parameter groupBudgetNanoseconds: how long a group takes further members (see ``groupBudgetNanoseconds``).
    /// - Parameter batch: the rows of the members that join a batch (`joiningBatch`).
    /// - Parameter beforeCommit: asked once per group (a group of one too), after its last member
    ///   ran and just before COMMIT; when it throws, the group is rolled back and every member that
    ///   ran gets its error, as when the COMMIT fails. For a check that must hold for every write
    ///   acknowledged (the store's: its files are still at their paths), at one call per group.
    /// - Throws: `SQLiteError` when the setting cannot be made.
    public init(connection: SQLiteConnection, groupBudgetNanoseconds: UInt64 = groupBudgetNanoseconds,
                batch: (any GroupBatch)? = nil, beforeCommit: (@Sendable () throws -> Void)? = nil) throws {
        self.connection = connection
        budgetNanoseconds = groupBudgetNanoseconds
        self.batch = batch
        self.beforeCommit = beforeCommit
        try connection.execute("PRAGMA temp_store = MEMORY")
    }

    /// Runs `body` on the writer inside a `BEGIN IMMEDIATE` transaction, possibly shared with other
    /// writes that queued meanwhile (each in its own savepoint, run in queue order, so it sees the
    /// effects of every earlier one). Returns, or throws what `body` threw, only after the COMMIT.
    ///
    /// - Parameter checksFirst: `body` throws only before it changes any row, or from a statement
    ///   that fails as a whole (SQLite undoes a failed statement itself): in a group it then runs
    ///   without a savepoint of its own (see `commitGroup`). Should it throw after changing a row
    ///   all the same, nothing can undo it alone: its group's transaction is rolled back and every
    ///   member that ran gets the error, as when a COMMIT fails (none was acknowledged).
    /// - Parameter joiningBatch: `body` checks first and, as its last step, queues its rows in this
    ///   writer's ``GroupBatch`` instead of writing them when the batch `collects` (in a group with
    ///   others); the batch is written before the next member that does not join it and before
    ///   COMMIT, so the rows are in the table when the caller hears of them. Without a batch, an
    ///   ordinary write that checks first.
    /// - Parameter admission: asked once, on the thread that runs the group, just before `body`
    ///   would run (before BEGIN when it runs alone): when it throws, `body` never runs and the call
    ///   throws that error. For a caller whose own caller may have stopped waiting meanwhile (a
    ///   call the server answered DEADLINE_EXCEEDED while this write queued must not commit);
    ///   once it returned, the write is on its way to COMMIT. Keep it short and non-blocking: the
    ///   whole group waits on it.
    /// - Throws: what `body` or `admission` throws (its changes are undone, other writes are
    ///   unaffected); the error that stopped the group's transaction (nothing of it was committed);
    ///   ``ConnectionClosedError``.
    public func write<T>(checksFirst: Bool = false, joiningBatch: Bool = false, admission: (() throws -> Void)? = nil,
                         _ body: (SQLiteConnection) throws -> T) throws -> T {
        try submit(isExclusive: false, checksFirst: checksFirst, joinsBatch: joiningBatch, admission: admission, body)
    }

    /// Runs `body` as ``write(checksFirst:admission:_:)`` does, without waiting for it: when the
    /// writer is free it runs at once, on this thread (a lone write costs what it did); otherwise it
    /// queues and this returns at once. Either way `completion` gets the outcome after the COMMIT
    /// (or why the write did not run): a caller hands its write over and goes on, instead of
    /// sleeping on a semaphore until its group committed and being woken (at 64 callers creating
    /// customers, ~2 futex calls and a context switch a write).
    /// - Parameter completion: runs on the thread that ran its group, or, when the writer's own
    ///   thread has a next group to lead, on the writer's completion thread (``CompletionThread``),
    ///   groups in commit order; either way later groups may wait for it: keep it short, and never
    ///   let it wait (a server queues its call's answer there without waiting for the peer to
    ///   read). It must not write through this writer.
    public func write<T>(checksFirst: Bool = false, joiningBatch: Bool = false,
                         admission: (@Sendable () throws -> Void)? = nil,
                         handingOff body: @escaping @Sendable (SQLiteConnection) throws -> T,
                         then completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        perform(PendingCall(isExclusive: false, checksFirst: checksFirst, joinsBatch: joiningBatch && batch != nil,
                            admission: admission, body, completion: completion))
    }

    /// Runs `body` with the writer connection to itself, outside any transaction, in its turn among
    /// the writes (for work that must hold the writer across its own transaction and file changes).
    /// - Throws: what `body` throws, or ``ConnectionClosedError``.
    public func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try submit(isExclusive: true, body)
    }

    /// Runs `body` as ``withConnection(_:)`` does, but only when the writer is idle (nobody leads,
    /// nothing queued); otherwise returns nil at once, without waiting. For work done behind the
    /// writes, in the writer's idle time (the store's search index): a write arriving meanwhile
    /// queues and waits at most this one run of `body`, then leads as usual.
    /// - Throws: what `body` throws, or ``ConnectionClosedError``.
    public func withConnectionIfIdle<T>(_ body: (SQLiteConnection) throws -> T) throws -> T? {
        lock.lock()
        if isClosed {
            lock.unlock()
            throw ConnectionClosedError()
        }
        guard !hasLeader, queue.isEmpty else {
            lock.unlock()
            return nil
        }
        hasLeader = true
        lock.unlock()
        return try withoutActuallyEscaping(body) { body in
            let call = PendingCall(isExclusive: true, checksFirst: false, admission: nil, body)
            lead(call)
            return try call.result.get()
        }
    }

    public var statistics: Statistics {
        lock.lock()
        defer { lock.unlock() }
        return Statistics(groups: groups, writes: writes, waiting: queue.count, largestGroup: largestGroup)
    }

    /// Refuses later calls with ``ConnectionClosedError``, fails the queued ones with it now, and
    /// closes the connection (at once when idle, otherwise when the running group has committed).
    public func close() {
        lock.lock()
        isClosed = true
        let refused = queue
        queue.removeAll()
        let wakeUps = refused.compactMap { answer($0, failing: ConnectionClosedError()) }
        let closeNow = !hasLeader
        let stopOwnThread = ownThreadStarted
        lock.unlock()
        for wakeUp in wakeUps { wakeUp.signal() }
        for call in refused { call.complete() }
        if stopOwnThread { leadSignal.signal() }
        if closeNow { connection.close() }
    }

    deinit {
        // Its own thread, parked, finds the writer gone and ends; so does the completion thread.
        if ownThreadStarted { leadSignal.signal() }
        completer.stop()
    }

    // MARK: Leading

    private func submit<T>(isExclusive: Bool, checksFirst: Bool = false, joinsBatch: Bool = false,
                           admission: (() throws -> Void)? = nil,
                           _ body: (SQLiteConnection) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            let call = PendingCall(isExclusive: isExclusive, checksFirst: checksFirst, joinsBatch: joinsBatch && batch != nil,
                                   admission: admission, body)
            perform(call)
            return try call.result.get()
        }
    }

    /// Returns when `call` is answered: at once if it can lead, otherwise after waiting in the queue
    /// (and leading, if it is woken to). A handed-off call that cannot lead returns once queued.
    private func perform(_ call: any PendingWrite) {
        lock.lock()
        if isClosed {
            lock.unlock()
            call.complete()
            return  // The call keeps its initial outcome, closed.
        }
        if let leaderThread, pthread_equal(leaderThread, pthread_self()) != 0 {
            lock.unlock()
            call.fail(SQLiteError(code: SQLITE_MISUSE, message: "a write was started inside a running write",
                                  context: "group commit on the writer's own thread"))
            call.complete()
            return
        }
        guard hasLeader else {
            hasLeader = true
            lock.unlock()
            lead(call)
            return
        }
        queue.append(call)
        guard !call.isHandedOff else {
            lock.unlock()
            return
        }
        let wakeUp = DispatchSemaphore(value: 0)
        call.wakeUp = wakeUp
        lock.unlock()
        wakeUp.wait()
        lock.lock()
        let mustLead = call.state == .leading
        call.wakeUp = nil  // Its one signal is spent; answering it later must not signal again.
        lock.unlock()
        if mustLead { lead(call) }
    }

    /// Leads groups, from `first`, for as long as this thread is the one to lead the next.
    private func lead(_ first: any PendingWrite) {
        var next: (any PendingWrite)? = first
        while let call = next { next = leadGroup(call) }
    }

    /// Runs `first` and, unless it is exclusive, the writes queued behind it as one group; answers
    /// them; then hands the lead on (see `finish`).
    /// - Returns: the call this thread leads next, if it is the one to.
    private func leadGroup(_ first: any PendingWrite) -> (any PendingWrite)? {
        lock.lock()
        leaderThread = pthread_self()
        var group = [first]
        if !isClosed, !first.isExclusive {
            let joining = queue.prefix(Self.maxGroupSize - 1).prefix { !$0.isExclusive }
            group += joining
            queue.removeFirst(joining.count)
        }
        let closed = isClosed
        lock.unlock()

        var ran = group.count
        var isGroup = false
        if closed {
            first.fail(ConnectionClosedError())
        } else if first.isExclusive {
            try? first.run(connection)  // The call recorded its own error.
        } else {
            ran = commitGroup(group)
            isGroup = true
        }
        return finish(answering: group[..<ran], requeueing: group[ran...], ofGroup: isGroup)
    }

    /// Answers the members that ran (a handed-off one by its completion, once the lock is
    /// released: here, or on the completion thread when this thread leads on), puts back the ones a group budget left out (at the front, in order), and passes
    /// the lead on: to the next queued caller that waits (it wakes up and leads); to the writer's
    /// own thread when the next is handed off (nobody waits on it) and this is a caller's thread,
    /// so a caller's thread leads at most one group after its own write; or back to this thread
    /// when it is the writer's own.
    /// - Parameter ofGroup: whether they ran in a transaction of `commitGroup` (counted in `statistics`).
    /// - Returns: the call this thread leads next, if it is the one to.
    private func finish(answering answered: ArraySlice<any PendingWrite>,
                        requeueing unrun: ArraySlice<any PendingWrite>, ofGroup: Bool) -> (any PendingWrite)? {
        var completions = answered.filter { $0.isHandedOff }
        lock.lock()
        if ofGroup {
            groups += 1
            writes += answered.count
            largestGroup = max(largestGroup, answered.count)
        }
        leaderThread = nil
        var wakeUps = answered.compactMap { answer($0, failing: nil) }
        queue.insert(contentsOf: unrun, at: 0)
        if isClosed {
            wakeUps += queue.compactMap { answer($0, failing: ConnectionClosedError()) }
            completions += queue.filter { $0.isHandedOff }
            queue.removeAll()
        }
        var closeConnection = false
        var next: (any PendingWrite)?
        var handOverToOwnThread = false
        if queue.isEmpty {
            hasLeader = false
            closeConnection = isClosed
        } else if !queue[0].isHandedOff {
            let waiting = queue.removeFirst()
            waiting.state = .leading
            if let wakeUp = waiting.wakeUp { wakeUps.append(wakeUp) }
        } else if let ownThread, pthread_equal(ownThread, pthread_self()) != 0 {
            next = queue.removeFirst()
        } else {
            handedLead = queue.removeFirst()
            handOverToOwnThread = true
        }
        let startOwnThread = handOverToOwnThread && !ownThreadStarted
        if startOwnThread { ownThreadStarted = true }
        lock.unlock()
        for wakeUp in wakeUps { wakeUp.signal() }
        if startOwnThread { startLeaderThread() }
        if handOverToOwnThread { leadSignal.signal() }
        // With a next group to lead here, its members wait on these answers: they go to the
        // completion thread. Otherwise (nobody waits, or another thread leads on) answering here
        // saves that thread's wake-up, unless earlier groups' answers are still queued there.
        if !completer.take(completions, always: next != nil) {
            for call in completions { call.complete() }
        }
        if closeConnection { connection.close() }
        return next
    }

    // MARK: The writer's own thread

    /// Started the first time a group ends with a handed-off call at the head of the queue and a
    /// caller's thread leading: it leads from there while handed-off calls keep coming, and parks
    /// on `leadSignal` in between. It holds the writer weakly, and ends when the writer closes or goes.
    private func startLeaderThread() {
        let thread = Thread { [weak self, leadSignal] in
            while true {
                leadSignal.wait()
                guard let self, self.leadHandedCall() else { return }
            }
        }
        thread.name = "group-commit"
        thread.start()
    }

    /// Leads from the call handed over to the writer's own thread, if any.
    /// - Returns: false once the writer is closed and nothing is left to lead (the thread ends).
    private func leadHandedCall() -> Bool {
        lock.lock()
        if ownThread == nil { ownThread = pthread_self() }
        let call = handedLead
        handedLead = nil
        let closed = isClosed
        lock.unlock()
        guard let call else { return !closed }
        lead(call)
        return true
    }

    /// Marks `call` answered (after recording `error` as its outcome, if given) and returns the
    /// semaphore to signal once the lock is released. Call with `lock` held.
    private func answer(_ call: any PendingWrite, failing error: (any Error)?) -> DispatchSemaphore? {
        if let error { call.fail(error) }
        call.state = .answered
        return call.wakeUp
    }
}
