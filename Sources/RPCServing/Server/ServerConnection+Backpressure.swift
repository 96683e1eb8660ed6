import RPCTransport
import ServiceLog

/// Backpressure at the source: a connection whose client leaves its answers unread starts no new call.
extension ServerConnection {
    /// How often a reader held back looks at its queue again without being woken: the user's
    /// budget freed by another connection wakes nobody here (``FrameWriter/waitUntilNotBackedUp(until:)``).
    static let heldBackRecheck = Duration.seconds(1)

    /// Called by the leader before it starts a call: while a bounded write on this connection would
    /// wait (its queue at its limit, or past its uncounted share with the user's budget used up),
    /// it waits for the client to read instead, reading nothing more meanwhile.
    ///
    /// Why: an answer waiting for a client that does not read held its handler's thread, and the
    /// leader went on reading calls, so one connection sending calls it never read held a thread
    /// (and an answer) for each of its 100 calls in flight, and one user's connections thousands
    /// (docs/HARDENING.md, "Threads per user"). Now a call's answer never waits
    /// (``FrameWriter/Admission/answer``) and no call starts until the client reads: what a
    /// connection holds for a client that stopped reading is its queue and the answers of the
    /// calls already running, with this thread and the flusher's. Calls in flight go on, and so do
    /// their deadlines; frames behind the call (a CANCEL too) are read once the client reads, or
    /// the connection ends (shutdown cuts it, which wakes this wait).
    ///
    /// Returns false when the connection failed meanwhile (the client went, or the socket was
    /// cut): no answer can be sent, so the leader closes it instead of running the calls it still
    /// has buffered (before, a client that sent thousands of calls and closed had them all run).
    ///
    /// Also false, the socket cut, once no byte of the queue has reached the client for the idle
    /// timeout: a client that reads nothing is idle though it has calls waiting, and its connection
    /// held this thread, the flusher stuck in `send` and its idle followers for as long as it stayed
    /// (docs/HARDENING.md). No GOAWAY: queued behind answers the client does not read, it would
    /// never arrive, and writing it could block; the client sees the end of the stream.
    func waitForAnswersToBeRead() -> Bool {
        // A failed writer is not backed up (nothing waits on it): the client went while this thread
        // was stuck sending an answer it ran itself, and the calls it had sent are not to run
        // (before, up to 100 of them started per connection, and the rest were refused one by one).
        guard writer.isBackedUp else { return !writer.hasFailed }
        if heldAnswers > 0 {
            heldAnswers = 0
            try? writer.flushDeferred()
        }
        let statistics = runtime.statistics.writeQueue
        statistics.readerHeldBack()
        defer { statistics.readerResumed() }
        let idleTimeout = runtime.configuration.idleTimeout
        var sent = writer.bytesSent
        var readSince = ContinuousClock.now
        var shed = false
        defer { if shed { shedFollowers(false) } }
        while !writer.waitUntilNotBackedUp(until: min(.now + Self.heldBackRecheck, readSince + idleTimeout)) {
            if !shed {
                shed = true
                shedFollowers(true)
            }
            let now = ContinuousClock.now
            if writer.bytesSent != sent {
                sent = writer.bytesSent
                readSince = now
            } else if readSince + idleTimeout <= now {
                closeUnread()
                return false
            }
        }
        return !writer.hasFailed
    }

    /// Cuts a held-back connection whose client read nothing for the idle timeout (its calls are
    /// cancelled as the leader closes it).
    private func closeUnread() {
        cutUnread = true
        logUnreadCut()
        calls.withLock { $0.draining = true }
        cutOff()
    }

    /// One line (rate limited) for a connection cut because its client read none of its answers for
    /// the idle timeout: held back for as long, or a thread's send of an answer found the socket
    /// taking nothing for as long (``FrameWriter/gaveUpOnStalledPeer``).
    func logUnreadCut() {
        if let suppressed = runtime.idleCutLog.admit(uid: peer.uid) {
            runtime.logger.notice("closing a connection whose client read none of its answers for the idle timeout",
                                  LogRateLimiter.fields([("peer_uid", "\(peer.uid)"), ("peer_pid", "\(peer.pid)"),
                                                         ("idle_timeout", "\(runtime.configuration.idleTimeout)")],
                                                        suppressed: suppressed))
        }
    }
}
