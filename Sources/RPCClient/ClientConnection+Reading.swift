import Glibc
import RPCCore
import RPCTransport
import ThreadSync

/// Reading the socket: by a lone caller for its own response, or by the connection's reader thread.
///
/// Why a caller may read: handing a response from a reader thread to the awaiting task wakes two
/// threads per call (the reader blocked in poll(2), then a cooperative-pool thread for the task),
/// where a quick answer caught by a lone caller spinning briefly (``spinBudget``) wakes none.
/// The caller never sleeps, though: its thread belongs to the cooperative pool, and a pool thread
/// asleep in poll(2) is lost to every task of the process (on a loaded 2-core machine, tests
/// starved). An answer that takes longer than the spin is left to the reader thread.
///
/// Who reads is the connection's `reader` role, changed only under the state lock together with the
/// table of calls, so "nobody reads" and "a call waits for its response" are never true at once:
/// - `.caller`: a unary call that was the only one in flight in this process reads, without
///   sleeping, until its own response arrived or ``spinBudget`` passed, delivering any other frame
///   it meets; or a caller blocked on a thread of its own reads, sleeping in poll(2) if need be,
///   until its response arrived (ClientConnection+Blocking), then hands the role to another
///   blocked caller if one waits;
/// - `.thread`: the reader thread reads while any call is in flight, then, if async calls left
///   reading to it, keeps reading for ``readerLinger`` in case the next one comes, then parks;
/// - `.nobody`: no call in flight; the next call checks for a GOAWAY or an end of stream that
///   arrived meanwhile (``takesNewCalls()``) before it writes on this connection.
extension ClientConnection {
    enum ReaderRole { case nobody, thread, caller }

    enum ReadOutcome {
        case data
        case timedOut
        case ended(RPCError)
    }

    // MARK: The reader thread

    /// The reader thread's life: read while holding the role, park while not, and release the
    /// socket once reading has ended for good (no one can touch the descriptor after that).
    func readerThreadLoop() {
        executor?.adoptCallingThread()
        while true {
            switch waitForReaderTurn() {
            case .read:
                readAsThread()
                runBatchedJobs()   // those resumed by the end of reading
            case .exit:
                runBatchedJobs()
                executor?.releaseCallingThread()
                writer.closeSocket()
                return
            }
        }
    }

    private enum ReaderTurn { case read, exit }

    private func waitForReaderTurn() -> ReaderTurn {
        while true {
            let turn: ReaderTurn? = state.withLock { state in
                if state.reader == .thread { return .read }
                // A connection that takes no more calls and has none left will read nothing anyone
                // waits for (the channel uses another): the thread exits and releases the socket.
                if state.refusal != nil, state.calls.isEmpty, state.reader == .nobody { state.readingEnded = true }
                if state.readingEnded, state.reader == .nobody { return .exit }
                return nil
            }
            if let turn { return turn }
            readerDoorbell.wait()
        }
    }

    /// `read(hold)`: calls are in flight; with `hold`, calls may wait in the batch for tasks this
    /// thread resumed, and the poll(2) lasts at most that long before the loop writes them (``batchHold``).
    private enum ThreadStep { case read(hold: Duration?), linger(Duration), stop }

    /// Reads while calls are in flight; out of calls, lingers (see ``readerLinger``) while the
    /// connection's calls leave reading to this thread, then gives the role up.
    private func readAsThread() {
        var linger = ReaderLinger(length: Self.readerLinger)
        while true {
            if let failure = handleBufferedFramesBatching() {
                endReading(failure)
                return
            }
            let step: ThreadStep = state.withLock { state in
                if !state.readingEnded {
                    if !state.calls.isEmpty { return .read(hold: state.holdsBackCalls ? Self.batchHold : nil) }
                    if state.readerThreadLingers, state.refusal == nil,
                       let remaining = linger.remaining(at: .now) { return .linger(remaining) }
                }
                // Checked under the lock with the calls: one started meanwhile saw the role taken
                // and woke nobody, so the thread gives the role up only when none is in flight.
                state.reader = .nobody
                return .stop
            }
            let timeout: Duration?
            switch step {
            case .stop:
                return
            case .read(let hold):
                linger.restart()
                timeout = hold
            case .linger(let remaining):
                timeout = remaining
            }
            switch readOnce(timeout: timeout) {
            case .ended(let failure):
                endReading(failure)
                return
            case .data:
                // Most often the answer to a call started while the thread lingered.
                linger.restart()
            case .timedOut:
                break   // calls held back meanwhile are written at the top of the loop
            }
        }
    }

    /// How long the reader thread, its calls answered, keeps waiting in poll(2) for the next one's
    /// response before it gives up the role and parks, counted from its last read that brought
    /// something (``ReaderLinger``). A caller that calls again at once (a loop of
    /// calls, one task per connection) then finds the thread still reading: its call costs no
    /// doorbell ring (a futex wake-up of the parked thread and its wait on each side). Waiting
    /// in poll(2) costs nothing but the one wake-up at its end; lone and blocked callers, who
    /// read their own responses, turn it off (``ClientConnection/State/readerThreadLingers``).
    static let readerLinger = Duration.milliseconds(2)

    // MARK: A caller reading

    /// Spins on non-blocking reads until `call` has its outcome or ``spinBudget`` passed, if nobody
    /// else is reading and the ``SpinAdvisor`` says spinning pays; then gives the role back (to the
    /// reader thread if the call, or another, is still in flight).
    func readOwnResponse(of call: ClientCall) {
        guard spinAdvisor.shouldSpin() else { return ensureReader() }
        guard claimReadingForCaller(stopLingering: true) else {
            // Told to stop lingering, the reader thread gives the role up once this call is answered.
            spinAdvisor.spinWasNotPossible()
            return
        }
        // The cheap clock: read once a pass, beside a non-blocking read (docs/PERFORMANCE.md "serve34").
        let deadline = MonotonicClock.nanoseconds() &+ Self.spinBudgetNanoseconds
        while true {
            if let failure = handleBufferedFrames() {
                endReading(failure)
                return
            }
            if call.isFinished || MonotonicClock.nanoseconds() >= deadline { break }
            if case .ended(let failure) = readNow() {
                endReading(failure)
                return
            }
        }
        spinAdvisor.record(answeredWhileSpinning: call.isFinished)
        releaseReadingByCaller()
    }

    /// Whether a new call may be written on this connection (no GOAWAY, failure or close). On a
    /// connection nobody reads, it first handles what arrived while it was idle (a GOAWAY, or the
    /// end of stream of a server that stopped), so the channel can open a new connection instead of
    /// writing into a dead one: one non-blocking read when nothing came. On a busy connection (its
    /// reader thread reads) it takes one lock, where a check and then ``acceptsCalls`` took two.
    func takesNewCalls() -> Bool {
        let decided: Bool? = state.withLock { state in
            guard state.reader == .nobody, !state.readingEnded else { return state.refusal == nil }
            state.reader = .caller
            return nil
        }
        if let decided { return decided }
        checkClaimedWhileIdle()
        return acceptsCalls
    }

    /// The idle check of ``takesNewCalls()``, by the caller that claimed the `.caller` role for it.
    private func checkClaimedWhileIdle() {
        var outcome = readNow()
        while case .data = outcome {
            if let failure = handleBufferedFrames() {
                outcome = .ended(failure)
                break
            }
            outcome = readNow()
        }
        if case .ended(let failure) = outcome {
            endReading(failure)
        } else {
            releaseReadingByCaller()
        }
    }

    /// Makes sure someone reads for a call just started: wakes the reader thread if nobody reads.
    func ensureReader() {
        if state.withLock({ Self.handReadingToThread(in: &$0) }) { readerDoorbell.ring() }
    }

    /// Lets the reader thread linger for the next async call, and gives it the role if nobody
    /// reads (state lock held): true when its doorbell is then to be rung.
    static func handReadingToThread(in state: inout State) -> Bool {
        state.readerThreadLingers = true
        guard state.reader == .nobody, !state.readingEnded else { return false }
        state.reader = .thread
        return true
    }

    /// Takes the `.caller` role if nobody reads. With `stopLingering`, a caller that wants to read
    /// its own response also tells a lingering reader thread to give the role up once it is out of
    /// calls, so the next lone call finds it free.
    private func claimReadingForCaller(stopLingering: Bool = false) -> Bool {
        state.withLock { state in
            if stopLingering { state.readerThreadLingers = false }
            guard state.reader == .nobody, !state.readingEnded else { return false }
            state.reader = .caller
            return true
        }
    }

    /// Gives the `.caller` role up: to a caller blocked on its own thread (other than the one of
    /// `excluded`, whose call is over), or to the reader thread while calls are in flight, or to nobody.
    func releaseReadingByCaller(excluding excluded: UInt32? = nil) {
        let (wakeThread, promoted): (Bool, Doorbell?) = state.withLock { state in
            if !state.readingEnded, let next = state.blockingCallers.first(where: { $0.key != excluded }) {
                state.reader = .caller
                state.promotedCaller = next.key
                return (false, next.value)
            }
            state.reader = state.calls.isEmpty || state.readingEnded ? .nobody : .thread
            return (state.reader == .thread || state.readingEnded || state.isRetired, nil)
        }
        promoted?.ring()
        if wakeThread { readerDoorbell.ring() }
    }

    // MARK: Shared by all readers (only the holder of the role calls these)

    /// Fails every call, stops the socket and lets the reader thread release it.
    func endReading(_ failure: RPCError) {
        refuseNewCalls(failure, failAll: true)
        writer.shutdown(.both)   // fail any write still blocked, before the close waits for it
        state.withLock { state in
            state.readingEnded = true
            state.reader = .nobody
        }
        readerDoorbell.ring()
    }

    /// Handles every complete frame buffered; a protocol violation ends the connection.
    func handleBufferedFrames() -> RPCError? {
        do {
            while let event = try readBuffer.reader.next() { try handle(event, readBuffer.reader) }
            return nil
        } catch {
            return RPCError(.unavailable, "protocol violation by the server at \(path): \(error)")
        }
    }

    /// How long a lone caller polls the socket without sleeping (non-blocking recv) before it
    /// sleeps in poll(2), while its connection's ``SpinAdvisor`` says spinning pays. A wake-up costs
    /// tens of µs on this VM, more than a whole health check, and only one caller in the process
    /// spins at a time (the lone one), so the CPU it burns is bounded.
    /// `customer-bench run ping get create --no-floor`, 1 caller, three alternations in one session,
    /// no spin -> 200 µs with the advisor: ping p50 138-160 -> 60-81 µs, get 223-303 -> 125-160 µs,
    /// create 330-484 -> 354-402 µs (client CPU per get 86-154 -> 131-166 µs). 100 µs helped ping as
    /// much and get far less (its answers often take longer); always spinning made create slower.
    static let spinBudget = Duration.nanoseconds(Int64(spinBudgetNanoseconds))
    static let spinBudgetNanoseconds: UInt64 = 200_000

    /// One read of what is available, waiting at most `timeout` (nil: as long as it takes).
    func readOnce(timeout: Duration?) -> ReadOutcome {
        read { buffer in try socket.read(into: buffer, timeout: timeout) }
    }

    /// One read of what is available now, without waiting (`.timedOut` when nothing is).
    private func readNow() -> ReadOutcome {
        read { buffer in try socket.readIfAvailable(into: buffer) ?? -1 }
    }

    /// Fills the read buffer with `attempt` (a byte count, 0 at the end of stream, -1 for nothing yet).
    private func read(_ attempt: (UnsafeMutableRawBufferPointer) throws -> Int) -> ReadOutcome {
        do {
            let count = try readBuffer.reader.fill(using: attempt)
            if count < 0 { return .timedOut }
            return count == 0 ? .ended(RPCError(.unavailable, "the connection to \(path) closed")) : .data
        } catch let error as IOError where error.call == "poll" && error.errno == EAGAIN {
            return .timedOut
        } catch {
            return .ended(RPCError(.unavailable, "the connection to \(path) failed: \(error)"))
        }
    }

    private func handle(_ event: FrameReader.Event, _ reader: FrameReader) throws(ProtocolViolation) {
        switch event {
        case .oversized(let header):
            guard header.streamID != 0, let call = call(header.streamID) else {
                throw ProtocolViolation("\(header.type) frame of \(header.payloadLength) bytes exceeds the limit")
            }
            cancel(call, with: RPCError(.resourceExhausted, "a frame of \(header.payloadLength) bytes from the server "
                                        + "exceeds this client's limit of \(configuration.maxFrameSize) bytes"))
        case .frame(let header, let range):
            let payload = reader.payload(in: range)
            // A frame on a stream its type may not use ends the connection, as the server ends a
            // client's (PROTOCOL.md section 10.1): ignored, it left the call waiting for its deadline.
            switch header.type {
            case .status:
                try header.requireCallStream()
                let (status, message) = try CallStatus.parse(payload)
                guard let (call, counted) = forget(streamID: header.streamID, countingResumedTask: true) else { return }
                let outcome: Result<[UInt8]?, RPCError> = status.error.code == .ok
                    ? .success(header.flags.contains(.hasMessage) ? Array(message) : nil) : .failure(status.error)
                // Ended first by a cancel or deadline: that task will not report, so it is not counted.
                if !call.finish(outcome, local: false, counted: counted), counted { resumedTaskRan() }
            case .message:
                try header.requireCallStream()
                guard header.flags.contains(.hasMessage), let call = call(header.streamID),
                      !call.deliver(Array(payload)) else { return }
                // Only this call fails (PROTOCOL.md section 8), after the messages that came within
                // its window, as if the server had ended it so: the connection's other calls go on.
                cancel(call, with: RPCError(.resourceExhausted, "the server at \(path) overran the flow-control window "
                                            + "of \(call.receiveWindow) bytes this client granted stream \(call.streamID)"),
                       keepingMessages: true)
            case .windowUpdate:
                try header.requireCallStream()
                let increment = try WindowUpdate.parse(payload)
                call(header.streamID)?.addCredit(Int(increment))
            case .ping:
                try header.requireWellFormedPing()
                try? send { buffer in FrameBuilder.append(.pong, streamID: 0, to: &buffer) { $0.append(contentsOf: payload) } }
            case .pong:
                break
            case .goAway:
                let goAway = try GoAway(payload: payload)
                if goAway.code == .ok {
                    refuseNewCalls(RPCError(.unavailable, "the server at \(path) is shutting down: \(goAway.message)"), failAll: false)
                    if let lastStarted = goAway.lastStartedStreamID { failUnstartedCalls(after: lastStarted, reason: goAway.message) }
                } else {
                    refuseNewCalls(RPCError(goAway.code, "the server at \(path) closed the connection: \(goAway.message)"),
                                   failAll: true)
                }
            case .hello, .callStart, .cancel:
                throw ProtocolViolation("a server may not send \(header.type) frames")
            }
        }
    }
}
