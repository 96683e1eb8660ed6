import Glibc
import RPCCore
import Synchronization
import ThreadSync

/// Serialises the frames of many threads onto one socket, coalescing those that queue up, bounds
/// the bytes queued for a peer that does not read, and owns the release of the descriptor
/// (``closeSocket()``), so nothing touches it once it may be reused.
///
/// A writer appends its frame to the pending buffer under the lock. If no thread is writing, it
/// becomes the flusher and writes everything pending with one `send`, looping while others append;
/// if a thread is already flushing, it returns at once and its frame goes out with that thread's
/// next batch. The common one-call-at-a-time path thus costs one `send` per frame and no hand-off,
/// and bursts from many handler threads leave in few system calls.
///
/// Why a queue limit: a flusher blocked in `send` on a peer that stopped reading lets every other
/// writer return at once, so without a bound the frames of all other calls (stream messages within a
/// window the peer may set to 4 GiB, answers, pongs) pile up in memory. A ``Admission/bounded`` write
/// first waits while `queueLimit` bytes or more are queued (appended and not yet accepted by the
/// kernel), so bounded writes never take the queue past the limit plus one frame (answers add what
/// the calls in flight built, see below); a stream's frames may also wait for
/// the stream's own earlier frames (``writeStreamFrame(after:streamLimit:abandon:_:)``). Waiting
/// blocks the writing thread: servers write from threads of their own, never from the cooperative
/// pool. Waiting is always safe: bytes queued at the limit mean a flusher exists, which either gets
/// them to the kernel or fails, and a failure wakes every waiter.
///
/// Why a user's budget (``countQueue(in:beyond:)``): the queue limit bounds one connection, but one
/// OS user may hold hundreds, each with a full queue. Past its first `uncounted` bytes a writer's
/// queue is counted in its user's ``SharedBudget``, and a bounded write (a stream's frame too) also
/// waits while its queue holds that many bytes and the budget is used up. So a write waits on the
/// budget only while its own client leaves that much unread: its own flusher's progress wakes it,
/// the user's connections that read are slowed to that queue at worst, and nothing needs waking
/// from another connection. The hot path (a small answer on a queue under `uncounted`) touches no
/// shared counter.
///
/// Why a call's answer never waits (``Admission/answer``) and the reader is held back instead
/// (``isBackedUp``, ``waitUntilNotBackedUp(until:)``): a handler whose answer waited for room kept
/// its thread until the client read, so a client sending calls it never reads made the server hold
/// a thread (and its built answer) for every call in flight, 100 per connection. The server's
/// reader instead starts no call while a bounded write would wait, so what a call's answer adds
/// past the limit is bounded by the calls already running when the queue filled, and their threads
/// are free once they have answered.
///
/// Why a write may hold its frame back (`deferringFlush`): a server thread that answers one of
/// several calls read in one batch would otherwise pay one `send` per answer. It appends without
/// flushing while the queue is under its limit and its uncounted share (so no writer ever waits on
/// bytes nobody flushes), and promises to call ``flushDeferred()`` before it blocks; any other
/// write flushes them sooner.
///
/// Why a flush gives up (`stallLimit`): a thread sending an answer into a socket its client never
/// reads waited in `send` for as long as the client stayed, and when that thread was the
/// connection's reader, which had run the call itself, nothing else noticed: the connection kept
/// its threads and the answer for good (docs/HARDENING.md, "Threads per user"). A flush started by
/// ``write(_:deferringFlush:_:)``, ``flushDeferred()`` or ``writeWithoutWaiting(_:)`` fails with
/// ETIMEDOUT once the socket has taken no byte for `stallLimit`, and the socket is shut down both
/// ways, so the connection ends. A stream's message (``writeStreamFrame(after:streamLimit:abandon:_:)``)
/// waits as long as it takes: a stream whose client stops reading pauses (PROTOCOL.md, section 9).
package final class FrameWriter: @unchecked Sendable {   // all mutable state guarded by `lock`
    private let socket: any ByteStream
    private let queueLimit: Int
    private let statistics: WriteQueueStatistics?
    /// How long a flush other than a stream's waits for a socket that takes nothing (nil: for ever).
    private let stallLimit: Duration?
    private let lock = ConditionLock()
    // The `var`s under `lock` are not checked for exclusivity at run time: the lock orders every
    // access, and the run-time check only catches overlapping accesses of one thread (a `build`
    // closure that wrote to this writer would deadlock on `lock` first). It was ~5 `swift_beginAccess`
    // a written answer on each side, ~80 instructions each (callgrind, docs/performance/HISTORY.md "call16").
    @exclusivity(unchecked) private var pending: [UInt8] = []
    @exclusivity(unchecked) private var spare: [UInt8] = []
    @exclusivity(unchecked) private var flushing = false
    @exclusivity(unchecked) private var failure: IOError?
    @exclusivity(unchecked) private var isClosed = false
    /// Bytes appended and not yet accepted by the kernel: `pending` plus the batch being sent.
    @exclusivity(unchecked) private var queued = 0
    /// Bytes accepted by the kernel since the writer was created; positions of frames count from here.
    @exclusivity(unchecked) private var flushedTotal = 0
    @exclusivity(unchecked) private var waiters = 0
    /// Bytes of `.immediate` frames appended since the queue was last empty (see ``write(_:_:)``).
    @exclusivity(unchecked) private var immediateSinceEmpty = 0
    /// The user's budget the queue is counted in past its first `uncounted` bytes (``countQueue(in:beyond:)``).
    @exclusivity(unchecked) private var queueBudget: SharedBudget?
    @exclusivity(unchecked) private var uncounted = Int.max
    /// What `queueBudget` holds for this queue: `queued` past `uncounted`, as of the last append or send.
    @exclusivity(unchecked) private var counted = 0
    /// `queued` reached the uncounted share or the limit (stored with each change of `queued`):
    /// ``isBackedUp`` reads it without the lock, so a queue under its share costs one load.
    private let pastShare = Atomic<Bool>(false)
    /// `failure != nil`, stored with it: ``hasFailed`` reads it without the lock, once per call started.
    private let failed = Atomic<Bool>(false)
    /// The connection was given up because its socket took nothing for `stallLimit` (see ``gaveUpOnStalledPeer``).
    private let stalled = Atomic<Bool>(false)

    /// Buffers larger than this (after a big frame) are released instead of kept for reuse.
    private static let retainedCapacity = 256 * 1024

    /// Whether a write waits for room in the queue.
    package enum Admission {
        /// Waits while the queue is at its limit: data, and frames whose number the peer controls
        /// (a PONG per PING, a refusal per CALL_START).
        case bounded
        /// Never waits: frames bounded in number by the connection or its calls (GOAWAY, the
        /// STATUS frames of calls cut at shutdown), which must not wait behind a peer that does not read.
        case immediate
        /// Never waits and never gives the peer up: the one STATUS of a call that was started while
        /// the queue had room (see ``isBackedUp``), so their number is bounded by the calls in
        /// flight, and a thread that answered is free at once instead of waiting for the client.
        case answer
    }

    /// - Parameters:
    ///   - queueLimit: bytes queued at which bounded writes wait (`Int.max`: never).
    ///   - statistics: where the queue's peak and waiting writers are reported, if anywhere.
    ///   - stallLimit: how long a flush other than a stream message's waits while the socket takes
    ///     no byte before the connection is given up (nil: as long as it takes).
    package init(socket: any ByteStream, queueLimit: Int = .max, statistics: WriteQueueStatistics? = nil,
                 stallLimit: Duration? = nil) {
        self.socket = socket
        self.queueLimit = queueLimit
        self.statistics = statistics
        self.stallLimit = stallLimit
    }

    deinit {
        // Every path that empties the queue gives its count back; this one covers a writer dropped
        // without `closeSocket()`, so no path can lock the user out for good.
        queueBudget?.giveBack(counted)
    }

    /// Counts the queue's bytes past its first `uncounted` in `budget`, shared with the other
    /// writers of the same user, and makes bounded writes wait while both are used up. Called once,
    /// before the first write.
    package func countQueue(in budget: SharedBudget, beyond uncounted: Int) {
        lock.withLock {
            queueBudget = budget
            self.uncounted = max(uncounted, 0)
        }
    }

    /// Bytes the kernel accepted since the writer was created (a batch counts once it is sent whole):
    /// unchanged while the peer reads nothing and the socket is full.
    package var bytesSent: Int { lock.withLock { flushedTotal } }

    /// Bytes appended and not yet accepted by the kernel (for tests and statistics).
    package var queuedBytes: Int { lock.withLock { queued } }

    /// Whether a bounded write would wait now: the queue is at its limit, or past its uncounted share
    /// with the user's budget used up, and the connection has not failed. A queue under its share
    /// (every client that reads its answers) answers without taking the lock.
    package var isBackedUp: Bool {
        guard pastShare.load(ordering: .relaxed) else { return false }
        return lock.withLock { failure == nil && !admitsBoundedWrite }
    }

    /// Waits until ``isBackedUp`` is false or `deadline` passes (false then). The flusher's
    /// progress and a failure wake it; the user's budget freed by another connection does not, so
    /// a caller waits in rounds and checks again.
    package func waitUntilNotBackedUp(until deadline: ContinuousClock.Instant) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        waiters += 1
        defer { waiters -= 1 }
        while failure == nil && !admitsBoundedWrite {
            guard lock.wait(until: deadline) else { return failure != nil || admitsBoundedWrite }
        }
        return true
    }

    /// Whether the connection failed (or was closed): nothing written now reaches the peer.
    package var hasFailed: Bool { failed.load(ordering: .acquiring) }

    /// Whether the connection failed because a flush found its socket taking no byte for the
    /// stall limit (the socket was then shut down both ways).
    package var gaveUpOnStalledPeer: Bool { stalled.load(ordering: .relaxed) }

    /// Stores whether `queued` reached the uncounted share or the limit (lock held).
    @inline(__always)
    private func noteQueued() {
        pastShare.store(queued >= min(uncounted, queueLimit), ordering: .relaxed)
    }

    /// Whether a bounded write may append now (lock held): the queue under its limit and the
    /// user's budget admitting it. ``isBackedUp`` is its negation for a connection that has not failed.
    @inline(__always)
    private var admitsBoundedWrite: Bool { queued < queueLimit && budgetAdmits }

    /// Whether the user's budget lets a bounded write append (lock held): always while the queue is
    /// under its uncounted share, so one connection's answer never waits for another's client.
    @inline(__always)   // on every bounded write; as a call it cost 12 instructions a write (callgrind)
    private var budgetAdmits: Bool {
        queued < uncounted || queueBudget?.hasRoom != false
    }

    /// Appends one or more frames built by `build` and makes sure they get written.
    /// Throws the socket error once the connection has failed.
    ///
    /// `.immediate` frames are few per call or connection, but a peer that never reads while
    /// they keep coming could still pile them up: once more than `queueLimit`
    /// bytes of them were appended since the queue was last empty, the peer is given up on (the
    /// socket is shut down, and this and every later write fails with ENOBUFS).
    package func write(_ admission: Admission = .bounded, deferringFlush: Bool = false,
                       _ build: (inout [UInt8]) -> Void) throws(IOError) {
        var mayHaveArrived = false
        try write(admission, deferringFlush: deferringFlush, mayHaveArrived: &mayHaveArrived, build)
    }

    /// ``write(_:deferringFlush:_:)`` for a frame its caller may want to send again elsewhere: when it
    /// throws, `mayHaveArrived` tells whether the kernel may have accepted the appended bytes whole
    /// (false: the connection had failed before they were appended, or the `send` that failed was to
    /// carry their end, so the peer cannot have read them whole).
    package func write(_ admission: Admission = .bounded, deferringFlush: Bool = false, mayHaveArrived: inout Bool,
                       _ build: (inout [UInt8]) -> Void) throws(IOError) {
        mayHaveArrived = false
        lock.lock()
        switch admission {
        case .bounded:
            waitForRoom { admitsBoundedWrite }
        case .immediate:
            if failure == nil && queued > 0 && immediateSinceEmpty > queueLimit {
                failure = IOError(call: "send", errno: ENOBUFS)
                failed.store(true, ordering: .releasing)
                pending = []
                queued = spare.count
                noteQueued()
                settleCount()
                if !isClosed { socket.shutdown(.both) }
                lock.broadcast()
            }
        case .answer:
            break
        }
        _ = try appendAndFlush(countsAsImmediate: admission == .immediate, deferringFlush: deferringFlush, watched: true,
                               mayHaveArrived: &mayHaveArrived, build)
    }

    /// Sends what writes with `deferringFlush` left pending, unless another thread is flushing (it
    /// takes them along). Throws the socket error once the connection has failed.
    package func flushDeferred() throws(IOError) {
        lock.lock()
        if let failure {
            lock.unlock()
            throw failure
        }
        guard !flushing, !pending.isEmpty else {
            lock.unlock()
            return
        }
        try flushPending(watched: true)
    }

    /// Whether frames written with `deferringFlush` wait for ``flushDeferred()`` (no flusher is
    /// sending them).
    package var hasDeferredFrames: Bool {
        lock.withLock { !flushing && !pending.isEmpty }
    }

    /// Writes a complete, already built frame.
    package func write(_ admission: Admission = .bounded, frame: [UInt8]) throws(IOError) {
        try write(admission) { $0.append(contentsOf: frame) }
    }

    /// Appends a stream's frame once the connection's queue has room and fewer than `streamLimit`
    /// bytes lie between the kernel and the end of the stream's previous frame (`previousEnd`, as
    /// returned by the previous call; 0 for the first). That span also holds other streams' frames,
    /// so it bounds the stream's own queued bytes from above. Returns the position just past the
    /// new frame, or nil without writing when `abandon` turned true while waiting (see ``wakeWaiters()``).
    package func writeStreamFrame(after previousEnd: Int, streamLimit: Int, abandon: () -> Bool,
                          _ build: (inout [UInt8]) -> Void) throws(IOError) -> Int? {
        lock.lock()
        waitForRoom { admitsBoundedWrite && previousEnd - flushedTotal < streamLimit || abandon() }
        if failure == nil && abandon() {
            lock.unlock()
            return nil
        }
        var mayHaveArrived = false
        return try appendAndFlush(countsAsImmediate: false, deferringFlush: false, watched: false,
                                  mayHaveArrived: &mayHaveArrived, build)
    }

    /// Wakes writers waiting for room so they re-check their `abandon` condition (a call was cancelled).
    package func wakeWaiters() {
        lock.withLock {
            if waiters > 0 { lock.broadcast() }
        }
    }

    /// Waits (lock held) until `hasRoom` or the connection failed.
    private func waitForRoom(_ hasRoom: () -> Bool) {
        guard failure == nil, !hasRoom() else { return }
        waiters += 1
        statistics?.writerStartedWaiting()
        while failure == nil && !hasRoom() { lock.wait() }
        statistics?.writerStoppedWaiting()
        waiters -= 1
    }

    /// Appends (lock held on entry, released on return) and flushes unless another thread is
    /// flushing or the flush may be deferred; returns the position just past the appended bytes.
    /// On a throw, `mayHaveArrived` tells whether those bytes may have reached the kernel whole.
    /// `watched`: the flush gives up at the stall limit (see ``flushPending(watched:)``).
    private func appendAndFlush(countsAsImmediate: Bool, deferringFlush: Bool, watched: Bool, mayHaveArrived: inout Bool,
                                _ build: (inout [UInt8]) -> Void) throws(IOError) -> Int {
        if let failure {
            lock.unlock()
            throw failure
        }
        let before = pending.count
        build(&pending)
        queued += pending.count - before
        noteQueued()
        if queued - uncounted > counted {
            // Admitted by `budgetAdmits` (or `.immediate`): the whole frame is counted, even past the limit.
            queueBudget?.takeAdmitted(queued - uncounted - counted)
            counted = queued - uncounted
        }
        if countsAsImmediate { immediateSinceEmpty += pending.count - before }
        statistics?.record(queuedBytes: queued)
        let end = flushedTotal + queued
        // Deferred bytes stay under the uncounted share too: a write waiting on the user's budget
        // waits for bytes a flusher is sending.
        if flushing || deferringFlush && queued < queueLimit && queued < uncounted {
            lock.unlock()
            return end
        }
        do {
            try flushPending(watched: watched)
        } catch {
            // The rounds sent before the failing one are counted: were these bytes among them?
            mayHaveArrived = lock.withLock { flushedTotal >= end }
            throw error
        }
        return end
    }

    /// Becomes the flusher (lock held on entry, released on return) and sends until nothing is pending.
    /// `watched` (and a stall limit set): gives up once the socket took no byte for the limit.
    private func flushPending(watched: Bool) throws(IOError) {
        flushing = true
        let stallLimit = watched ? self.stallLimit : nil
        while !pending.isEmpty {
            swap(&pending, &spare)
            lock.unlock()
            do throws(IOError) {
                try socket.writeAll(spare, givingUpAfter: stallLimit)
            } catch {
                lock.lock()
                failFlush(error)
                throw error
            }
            let sent = spare.count
            releaseSpare()
            lock.lock()
            noteSent(sent)
        }
        flushing = false
        lock.broadcast()
        lock.unlock()
    }

    /// Appends a call's answer (as ``Admission/answer``) from a thread that must never wait for
    /// this peer: a group commit's leader answering the members of its group, calls of other
    /// connections. When no thread is flushing it becomes the flusher and sends what the kernel
    /// takes at once (``ByteStream/writeAvailable(_:)``: all of it, for a client waiting for its
    /// answer); what is left then goes out from a thread started for it, the flusher until the
    /// queue is empty, so this returns without waiting either way. Throws the socket error
    /// once the connection has failed.
    package func writeWithoutWaiting(_ build: (inout [UInt8]) -> Void) throws(IOError) {
        lock.lock()
        if let failure {
            lock.unlock()
            throw failure
        }
        let flushesHere = !flushing
        flushing = true  // So `appendAndFlush` only appends; cannot throw: `failure` is nil.
        var mayHaveArrived = false
        _ = try appendAndFlush(countsAsImmediate: false, deferringFlush: false, watched: true,
                               mayHaveArrived: &mayHaveArrived, build)
        guard flushesHere else { return }
        lock.lock()
        while !pending.isEmpty {
            swap(&pending, &spare)
            lock.unlock()
            let result: Result<Int, IOError> = spare.withUnsafeBytes { raw in
                do throws(IOError) { return .success(try socket.writeAvailable(raw)) } catch { return .failure(error) }
            }
            lock.lock()
            let sent: Int
            switch result {
            case .success(let count): sent = count
            case .failure(let error):
                failFlush(error)
                throw error
            }
            let whole = sent == spare.count
            if !whole {
                // Whatever was appended meanwhile goes after the rest of this round.
                pending = Array(spare[sent...]) + pending
            }
            releaseSpare()
            noteSent(sent)
            if !whole { break }
        }
        guard !pending.isEmpty else {
            flushing = false
            lock.broadcast()
            lock.unlock()
            return
        }
        lock.unlock()
        // A thread of this connection's own, as long as its client leaves the rest unread (a
        // shared queue's few threads would let a handful of such clients stall every other job).
        let flush: @Sendable () -> Void = { [self] in
            lock.lock()
            try? flushPending(watched: true)  // A failure is recorded: the connection's reader sees it.
        }
        do {
            try ThreadLauncher.start(flush)
        } catch {
            BlockingWorkQueue.shared.run(flush)  // No thread now: late, but never lost.
        }
    }

    /// Empties `spare` after a send, keeping its storage unless it grew large.
    @inline(__always)
    private func releaseSpare() {
        if spare.capacity > Self.retainedCapacity {
            spare = []
        } else {
            spare.removeAll(keepingCapacity: true)
        }
    }

    /// Counts `sent` bytes as accepted by the kernel and wakes waiters (lock held).
    @inline(__always)
    private func noteSent(_ sent: Int) {
        flushedTotal += sent
        queued -= sent
        noteQueued()
        if counted > 0 { settleCount() }
        if queued == 0 { immediateSinceEmpty = 0 }
        if waiters > 0 { lock.broadcast() }
    }

    /// Records a failed send and drops what is queued (lock held on entry, released on return). A
    /// send that gave up on a stalled peer also shuts the socket down both ways: the reader and
    /// every other thread waiting on it see the end, and the connection closes.
    private func failFlush(_ error: IOError) {
        if failure == nil { failure = error }
        failed.store(true, ordering: .releasing)
        if error.errno == ETIMEDOUT {
            stalled.store(true, ordering: .relaxed)
            if !isClosed { socket.shutdown(.both) }
        }
        flushing = false
        pending = []
        spare = []
        queued = 0
        noteQueued()
        settleCount()
        lock.broadcast()
        lock.unlock()
    }

    /// Gives back to the user's budget what the queue no longer holds past its uncounted share (lock held).
    private func settleCount() {
        let over = max(queued - uncounted, 0)
        guard counted > over else { return }
        queueBudget?.giveBack(counted - over)
        counted = over
    }

    /// Waits for the write in progress, then closes the socket; later writes throw EBADF and later
    /// shutdowns do nothing, so no thread (a late deadline answer, a cancel, a drain) can touch a
    /// descriptor number the kernel has handed to another connection since.
    package func closeSocket() {
        lock.lock()
        while flushing { lock.wait() }
        if failure == nil { failure = IOError(call: "send", errno: EBADF) }
        failed.store(true, ordering: .releasing)
        pending = []
        queued = 0
        noteQueued()
        settleCount()
        isClosed = true
        lock.broadcast()
        lock.unlock()
        socket.close()
    }

    /// `shutdown(2)` the socket (wakes blocked readers, and writers for SHUT_RDWR) unless it was
    /// already closed. The lock is not held across blocking calls, so this never waits for a flush.
    package func shutdown(_ direction: StreamDirection) {
        lock.withLock {
            guard !isClosed else { return }
            socket.shutdown(direction)
        }
    }
}
