import Glibc
import RPCCore
import RPCTransport
import ServiceLog
import Synchronization
import ThreadSync

/// One accepted connection, served by its own threads with a leader/follower scheme.
///
/// At most one thread at a time is the *leader*: it reads the socket and handles control frames
/// inline. When it reads a CALL_START the same thread runs the handler and writes the answer, with no
/// hop. A short unary call runs *inline*: the leader keeps the role, and once the call is done it goes
/// on with the next frame already read, holding back the answers of such a batch so they leave in one
/// `send` before it next reads the socket (or every ``answersPerSend`` answers, for a long batch);
/// ``LeadershipWatchdog`` promotes another thread to lead if
/// the call runs long. Any other call (streaming, a method that may wait long while calls queue
/// behind it, a second inline candidate) first hands the role to an idle follower of this connection
/// (or a new thread, up to the call limit + 1). Either way the next call can be read while one runs,
/// and calls complete out of order; a unary call that keeps a thread from reading takes one of its
/// OS user's share (``ServerConfiguration/maxUnaryThreadsPerUser``). Past it the connection runs its
/// unary calls one after another on one thread besides its reader (``OverShareCalls``), so the
/// reader still reads: CANCELs, PINGs and flow control are handled while such a call runs. See
/// ``RPCServer`` for why, and docs/ARCHITECTURE.md ("Threads") for which calls run inline.
final class ServerConnection: @unchecked Sendable {
    // Safety: `coordination` guards `threads`; the reader state is only touched by the current
    // leader, and leadership changes hands under `coordination`, which orders those accesses;
    // `calls` is a Mutex; `isWatched`, `callBudget`, `serverStreamBudget`, `unaryThreadBudget` and `inputBudget` are written
    // once before the first thread starts; `promotedTurns` and `overShare` are under `coordination`; the rest is
    // immutable or atomic.
    let socket: any ByteStream
    let runtime: ServerRuntime
    let writer: FrameWriter
    let peer: PeerCredentials

    private let coordination = ConditionLock()
    /// The leader/follower state machine, under `coordination`.
    private var threads: ConnectionThreads

    // Leader-owned. Their accesses are not checked for exclusivity at run time: one thread at a time
    // (the leader) touches them, in turns ordered by `coordination`, and the run-time check only
    // catches overlapping accesses of one thread, which no code here makes (what is lent `inout`,
    // `spinSchedule` to the idle spin, is not touched by the code it calls back: that reads the
    // socket). It was ~4 `swift_beginAccess` a get on `lead`'s path and ~2.5 on the idle spin's,
    // ~80 instructions each (callgrind, docs/performance/HISTORY.md "call16").
    @exclusivity(unchecked) var reader: FrameReader
    @exclusivity(unchecked) var lastStreamID: UInt32 = 0
    @exclusivity(unchecked) var handshakeDone = false
    /// Where the idle clock starts: the handshake, the last complete frame, or the last time the
    /// timeout found a call in flight. Bytes of an incomplete frame never move it (PROTOCOL.md, "Limits").
    @exclusivity(unchecked) var idleSince = ContinuousClock.now
    /// A complete frame arrived since `idleSince` was last set (read before the leader blocks,
    /// so the hot path reads no clock per frame).
    @exclusivity(unchecked) var receivedFrame = false
    /// How many answers of this batch were written with a deferred flush (0: none); sent before the
    /// leader next blocks, or once ``answersPerSend`` wait (``runCall(_:)``).
    @exclusivity(unchecked) var heldAnswers = 0
    /// The connection failed while the leader was held back for its unread answers
    /// (``waitForAnswersToBeRead()``): it closes rather than start the calls it has buffered.
    @exclusivity(unchecked) var answersCannotBeSent = false
    /// The leader cut the connection for answers left unread while it was held back (logged then).
    @exclusivity(unchecked) var cutUnread = false
    /// Waits left before the leader tries a `recv` before poll(2) again (``readBeforePoll()``).
    @exclusivity(unchecked) var coldWaits: UInt8 = 0
    /// When the idle spin polls, from where this connection's previous request came (``SpinSchedule``).
    @exclusivity(unchecked) var spinSchedule = SpinSchedule()
    /// What the frame being read took from `inputBudget` (its announced payload), 0 when none; a
    /// CALL_START's is handed to its call once the frame is complete (``HeldRequest``).
    @exclusivity(unchecked) var frameReservation = 0
    /// What the client announced in HELLO.
    @exclusivity(unchecked) var clientWindow = 0
    /// The method the last CALL_START named that the router knew, with its name's bytes (see `name(_:)`).
    @exclusivity(unchecked) var previousMethod: (name: [UInt8], method: RegisteredMethod)?
    private let clientMaxFrameSizeStorage = Atomic<Int>(Int(UInt32.max))

    let calls = Mutex(CallTable())
    /// The calls of this connection's OS user on all its connections; set by ``ServerRuntime/admit(_:)``
    /// before ``start()`` (a connection never admitted runs no call).
    var callBudget = SharedBudget(limit: 0)
    /// The server-streaming calls open of this connection's OS user on all its connections; set with `callBudget`.
    var serverStreamBudget = SharedBudget(limit: 0)
    /// The unary calls this connection's OS user runs on threads besides its connections' readers,
    /// on all its connections (``ServerConfiguration/maxUnaryThreadsPerUser``); set with `callBudget`.
    var unaryThreadBudget = SharedBudget(limit: 0)
    /// Inline calls whose leader the watchdog replaced, each holding a unit of `unaryThreadBudget`
    /// until its thread is done with it (under `coordination`).
    private var promotedTurns: [UInt64] = []
    /// The unary calls run past the user's share, one after another off the reader (under `coordination`).
    /// Not checked for exclusivity at run time, as the leader-owned state above: `coordination`
    /// orders its accesses, and none overlaps another on one thread (`runCall` read it on every call).
    @exclusivity(unchecked) private var overShare = OverShareCalls()
    /// The input bytes held for this connection's OS user on all its connections (frames being
    /// read, buffered client-stream messages); set with `callBudget`.
    var inputBudget = SharedBudget(limit: 0)
    /// What of its queue a connection's writer keeps out of its user's budget of queued answer bytes
    /// (``FrameWriter/countQueue(in:beyond:)``): answers and batches of small answers stay under it,
    /// so the common path touches no shared counter, and a connection that reads always gets that
    /// far whatever the user's other connections hold. Bounds what a user's queues hold outside the
    /// budget to its connections x 64 KiB (plus a frame each).
    static let uncountedQueuedBytes = 64 * 1024
    /// What this connection's client-streaming calls may hold buffered together.
    let clientStreamBudget: SharedBudget

    /// When the handler the leader runs inline started, 0 when none; see LeadershipWatchdog.
    let inlineHandlerSince = Atomic<UInt64>(0)
    /// Whether the leader had more frames read when it started that handler.
    let inlineHandlerHasFramesBehind = Atomic<Bool>(false)
    /// Whether the watchdog watches this connection; without it, every call hands leadership off.
    /// Set by ``start()`` before the first thread exists, read-only afterwards.
    private var isWatched = false

    struct CallTable: ~Copyable {
        var active = ActiveCalls<ServerContext>()
        var draining = false
        /// The highest stream id of a call admitted to run: what a GOAWAY names as the last call
        /// started, so the client may send any later one again elsewhere (PROTOCOL.md section 5.4).
        var highestStarted: UInt32 = 0
        /// The last thread left while a call whose deadline claimed its answer was still here: that
        /// STATUS is written off the timer's thread (`endCallsPastDeadline`), and whoever forgets the
        /// last such call tears the connection down, after it went out.
        var tearDownDue = false
        /// When the calls' deadlines are looked at: one scheduler entry for the connection, not one
        /// per call (``DeadlineWatch``, ``ServerConnection/endCallsPastDeadline()``).
        var deadlineWatch = DeadlineWatch()
    }

    /// The largest frame the client accepts (from its HELLO); responses beyond it become errors.
    var clientMaxFrameSize: Int {
        get { clientMaxFrameSizeStorage.load(ordering: .relaxed) }
        set { clientMaxFrameSizeStorage.store(newValue, ordering: .relaxed) }
    }

    init(socket: any ByteStream, runtime: ServerRuntime) throws(IOError) {
        self.socket = socket
        self.runtime = runtime
        // A client that reads none of an answer for the idle timeout is gone as far as the server
        // is concerned, as one held back for as long (ServerConnection+Backpressure.swift): the
        // thread sending the answer, its reader perhaps, is not kept for it.
        writer = FrameWriter(socket: socket, queueLimit: runtime.configuration.maxQueuedBytesPerConnection,
                             statistics: runtime.statistics.writeQueue, stallLimit: runtime.configuration.idleTimeout)
        peer = try socket.peerCredentials()
        reader = FrameReader(maxFrameSize: Handshake.maxClientHelloSize)
        clientStreamBudget = SharedBudget(limit: runtime.configuration.maxBufferedClientStreamBytesPerConnection)
        threads = ConnectionThreads(maxThreads: max(runtime.configuration.maxConcurrentCallsPerConnection, 1) + 1,
                                    maxIdleFollowers: 2)
    }

    /// Starts the connection's first thread (the accept loop calls this once, after admitting it).
    func start() throws(IOError) {
        isWatched = LeadershipWatchdog.shared.add(self)
        do {
            try ThreadLauncher.start { [self] in run() }
        } catch {
            LeadershipWatchdog.shared.remove(self)
            writer.closeSocket()
            runtime.connectionClosed(self)
            throw error
        }
    }

    /// What a leader stops leading for.
    enum LeadOutcome {
        case run(PendingCall)
        case close
        /// The client half-closed: nothing more to read, but calls in flight still answer.
        case inputEnded
    }

    /// A call read by the leader, to be run by the same thread.
    struct PendingCall {
        let context: ServerContext
        let handler: MethodHandler
        let request: [UInt8]
        /// The method may wait long (``MethodDescriptor/mayWaitLong``).
        let mayWaitLong: Bool
        /// Another frame was already read when this call was: its answer may wait for the batch's flush.
        let frameFollows: Bool
    }

    /// The body of every thread of this connection (the first one is started by the accept loop).
    func run() {
        /// This thread led, ran a call inline, and nobody took the role meanwhile: it reads on.
        var stillLeads = false
        coordination.lock()
        turns: while true {
            if !stillLeads {
                switch threads.nextTurn() {
                case .leave:
                    break turns
                case .follow:
                    coordination.wait()
                    threads.followerWoke()
                    continue
                case .lead:
                    break
                }
            }
            stillLeads = false
            coordination.unlock()
            let outcome = lead()
            coordination.lock()
            switch outcome {
            case .run(let call):
                stillLeads = runCall(call)
            case .close:
                threads.leaderStopped()
                threads.close()
                coordination.broadcast()
                coordination.unlock()
                cancelAllCalls(RPCError(.cancelled, "the connection closed"))
                coordination.lock()
            case .inputEnded:
                // The threads running calls answer them, then leave; the last one tears down.
                threads.leaderStopped()
                threads.close()
                coordination.broadcast()
            }
        }
        let isLastThread = threads.threadLeaves()
        coordination.unlock()
        if isLastThread { tearDown() }
    }

    /// Runs a call the leader read (`coordination` held on entry and on return); true when the thread
    /// still leads afterwards.
    ///
    /// A unary call runs inline, the role kept and watched (see LeadershipWatchdog), unless its
    /// method may wait long while other frames are already buffered behind it; every other call
    /// hands the role on first. Handing the role on for every pipelined call instead woke a
    /// follower per call (customer-bench run get --in-flight 64, same run: 57.9-78.6 µs of server
    /// CPU per call instead of 77.5-85.7).
    private func runCall(_ call: PendingCall) -> Bool {
        if call.handler.isUnary && overShare.isRunning {
            // Past the share: it waits for the calls before it, and the leader reads on meanwhile.
            overShare.queued.append(call)
            return true
        }
        var inlineSince: UInt64?
        if isWatched && call.handler.isUnary && !(call.mayWaitLong && call.frameFollows) {
            inlineSince = LeadershipWatchdog.shared.handlerStarted(on: self, framesBehind: call.frameFollows)
        }
        let turn = inlineSince.map { _ in threads.leaderRunsInline() }
        // A unary call handed off keeps this thread from reading: one of its user's share of such
        // threads. Past the share this thread runs it and the calls read meanwhile, one after
        // another, while another reads: calls that wait (for a database reader, for the writer)
        // take no thread each, and a CANCEL or PING behind them is still read.
        var holdsUnaryThread = false
        if turn == nil {
            if call.handler.isUnary && !unaryThreadBudget.take(1) {
                overShare.isRunning = true
                threads.leaderStopped()
                handOffLeadership()
                coordination.unlock()
                runOverShare(from: call)
                coordination.lock()
                return false
            } else {
                holdsUnaryThread = call.handler.isUnary
                threads.leaderStopped()
                handOffLeadership()
            }
        }
        // The answers held back for this batch go now rather than wait behind a call that may wait
        // long (until it ends, or the watchdog promotes a leader that sends them).
        let sendHeldAnswers = turn != nil && call.mayWaitLong && heldAnswers > 0
        if sendHeldAnswers { heldAnswers = 0 }
        let holdAnswer = turn != nil && call.frameFollows
        let closesSend = holdAnswer && heldAnswers >= Self.answersPerSend - 1
        coordination.unlock()
        if sendHeldAnswers { try? writer.flushDeferred() }
        runtime.idleSpin.handlerStarted(on: self)
        execute(call, deferringFlush: holdAnswer)
        runtime.idleSpin.handlerEnded()
        if let inlineSince { LeadershipWatchdog.shared.handlerEnded(on: self, since: inlineSince) }
        if closesSend { try? writer.flushDeferred() }
        coordination.lock()
        if holdsUnaryThread { unaryThreadBudget.giveBack(1) }
        guard let turn else { return false }
        if threads.inlineCallEnded(turn) {
            if holdAnswer { heldAnswers = closesSend ? 0 : heldAnswers + 1 }
            return true
        }
        if let promoted = promotedTurns.firstIndex(of: turn) {
            promotedTurns.remove(at: promoted)
            unaryThreadBudget.giveBack(1)
        }
        let runsOverShare = overShare.turn == turn
        if runsOverShare { overShare.turn = nil }
        // Another thread leads now and may already be waiting for input: send the answer held back.
        if holdAnswer || runsOverShare {
            coordination.unlock()
            if holdAnswer { try? writer.flushDeferred() }
            if runsOverShare { runOverShare(from: nil) }
            coordination.lock()
        }
        return false
    }

    /// At most this many answers of a pipelined batch wait for one `send`: the client starts on
    /// the first ones (decodes them, writes its next calls) while the server runs the rest. Held
    /// until the batch's end, the answers of a burst of 64 gets reached the client at once after
    /// ~0.45 ms of server work, and its next calls came back as one burst: each side mostly waited
    /// for the other's (`perf sched timehist`, docs/performance/HISTORY.md "inflight21"). Why 32,
    /// not 16: each part wakes the client's reader and resumes its callers on the pool, and parts
    /// of 16 cost the client 0.25 futex calls and 0.19 context switches a get at 64 in flight
    /// (main 0.14-0.18 and 0.04-0.10), which ate the overlap on a machine without real-time
    /// priority; parts of 32 cost 0.125 and 0.094 for the same calls/s under `chrt -r 1`
    /// (docs/performance/HISTORY.md "inflight22").
    static let answersPerSend = 32

    /// Runs `first`, then each unary call the leader queued past the share meanwhile, in the order
    /// read, on this thread (`coordination` not held); the last one found ends the run. A call
    /// CANCELled or past its deadline while queued ends at its start (``execute(_:deferringFlush:)``).
    private func runOverShare(from first: PendingCall?) {
        var next = first
        while true {
            if let call = next {
                runtime.idleSpin.handlerStarted(on: self)
                execute(call, deferringFlush: false)
                runtime.idleSpin.handlerEnded()
            }
            next = coordination.withLock { overShare.next() }
            if next == nil { return }
        }
    }

    /// Wakes an idle follower to lead, or starts a new thread (caller holds `coordination`).
    private func handOffLeadership() {
        carryOut(threads.handOff())
    }

    /// Does what the state machine decided (caller holds `coordination`).
    private func carryOut(_ handOff: ConnectionThreads.HandOff) {
        switch handOff {
        case .wakeFollower:
            coordination.signal()
        case .startThread:
            do {
                try ThreadLauncher.start { [self] in run() }
            } catch {
                // Without a new thread the next call is read once this handler is done: slower, still correct.
                threads.threadFailedToStart()
                if let suppressed = runtime.threadStartFailureLog.admit(uid: peer.uid) {
                    runtime.logger.warning("cannot start a connection thread", LogRateLimiter.fields(
                        [("peer_uid", "\(peer.uid)"), ("error", "\(error)")], suppressed: suppressed))
                }
            }
        case .none:
            break
        }
    }

    /// Whether anything waits behind the handler the leader runs inline that the connection knows
    /// of without asking its socket: frames it had read, or answers of its batch held back. The
    /// rest is input on the socket (a call, a CANCEL of this very call, the end of the stream),
    /// which the watchdog asks of many connections' sockets at once (`InputPoll`). Only then is
    /// a new reader worth its wake-up (LeadershipWatchdog).
    func hasHeldWorkBehindInlineHandler() -> Bool {
        inlineHandlerHasFramesBehind.load(ordering: .relaxed) || writer.hasDeferredFrames
    }

    /// Held back for a second or more (`shed`): the idle followers leave (woken to find
    /// ``ConnectionThreads/followersShed``), so a connection whose client reads nothing keeps its
    /// leader and a thread stuck sending, not a follower besides; once its client reads again
    /// (`shed` false) it gets a new one when a call needs it.
    func shedFollowers(_ shed: Bool) {
        coordination.withLock {
            threads.followersShed = shed
            if shed { coordination.broadcast() }
        }
    }

    /// How many threads serve the connection now: more than one once a reader was promoted or a
    /// call handed off (tests check that the watchdog promoted only where input waited).
    var threadCount: Int { coordination.withLock { threads.threadCount } }

    /// Whether the leader runs a call inline now (tests check that a handler that answers later
    /// gave its thread back before its answer).
    var runsInlineCall: Bool { coordination.withLock { threads.leaderRunsCall } }

    /// Called by the watchdog when an inline handler runs long: while the leader runs it, nobody
    /// reads, so another thread must; unless its user's share of threads running unary calls is
    /// taken (``ServerConfiguration/maxUnaryThreadsPerUser``): then the leader runs its call to the
    /// end and reads on after it. Before, every call that waited (for a database reader, say) with
    /// frames behind it got a reader promoted, which started the next call: one thread per call in
    /// flight, 100 per connection.
    func promoteReaderIfNeeded() {
        coordination.withLock {
            guard threads.leaderRunsCall, !threads.isClosed else { return }
            if unaryThreadBudget.take(1) {
                promotedTurns.append(threads.inlineTurn)
            } else {
                // Past the share a reader all the same, so what waits behind the call (a CANCEL of
                // it, a PING) is read; the calls it reads wait for this one, and this thread runs
                // them (``OverShareCalls``): one thread more for the connection, not one a call.
                guard !overShare.isRunning else { return }
                overShare.isRunning = true
                overShare.turn = threads.inlineTurn
            }
            carryOut(threads.promoteDuringInlineCall())
        }
    }

    /// Runs once, on the last thread: every writer is done, so the descriptor can be released;
    /// unless a deadline's STATUS is still on its way, whose writer then calls `finishTearDown`.
    private func tearDown() {
        releaseFrameReservation()
        if writer.gaveUpOnStalledPeer && !cutUnread { logUnreadCut() }
        let answerPending = calls.withLock { table in
            table.tearDownDue = table.active.values.contains { $0.isFinished }
            return table.tearDownDue
        }
        if !answerPending { finishTearDown() }
    }

    func finishTearDown() {
        calls.withLock { $0.deadlineWatch.stop() }
        LeadershipWatchdog.shared.remove(self)
        writer.closeSocket()
        runtime.connectionClosed(self)
    }

    /// Cancels every call in flight and forgets it (its answer, if any, is discarded). Returns the
    /// stream ids of the calls whose end this claimed (those not answered or abandoned before).
    @discardableResult
    func cancelAllCalls(_ error: RPCError) -> [UInt32] {
        let active = calls.withLock { table in
            defer { table.active.removeAll() }
            return Array(table.active.values)
        }
        var claimed: [UInt32] = []
        for context in active {
            context.cancel(error)
            if context.markFinished() {
                runtime.callEnded(context, error.code)
                claimed.append(context.streamID)
            }
        }
        return claimed
    }

    // MARK: Shutdown

    /// Graceful shutdown: GOAWAY, no new calls; the read side closes once the last call finished.
    func beginDrain() {
        // Under the lock that admits calls: no call above the id the GOAWAY names starts afterwards.
        let (idle, lastStarted) = calls.withLock { table in
            table.draining = true
            return (table.active.isEmpty, table.highestStarted)
        }
        try? writer.write(.immediate, frame: GoAway(code: .ok, message: "the server is shutting down",
                                                    lastStartedStreamID: lastStarted).frame())
        if idle { stopReading() }
    }

    /// Ends the grace period: cancels what still runs, answers each such call `UNAVAILABLE`, then
    /// cuts the socket both ways.
    ///
    /// The STATUS frames are one write on a `BlockingWorkQueue` thread, never on the shutdown's: a
    /// client that does not read could block it. The shutdown waits for them only as long as it
    /// waits for the connections to close (`shutdownStatusWait`), then calls ``cutOff()``, which
    /// fails a write still blocked, so the answers are best effort and the shutdown stays bounded.
    func forceClose(gracePeriod: Duration) {
        let error = RPCError(.unavailable, "the server is shutting down: the call did not finish within the "
                                + "shutdown's grace period (\(gracePeriod))")
        let cut = cancelAllCalls(error)
        guard !cut.isEmpty else {
            cutOff()
            return
        }
        BlockingWorkQueue.shared.run { [self] in
            writeStatuses(of: cut, error)
            cutOff()
        }
    }

    /// Cuts the socket both ways: blocked reads and writes of both ends return.
    func cutOff() {
        writer.shutdown(.both)
    }

    /// Makes the leader's blocked read return end-of-file (Linux `shutdown(SHUT_RD)` on a Unix
    /// socket wakes readers), while answers already written still reach the client.
    func stopReading() {
        writer.shutdown(.reading)
    }
}
