import RPCCore
import RPCTransport
import Synchronization

/// The client side of one call: where the reader thread drops what arrives and the awaiting task
/// (or the blocked caller's thread) picks it up. Every continuation is resumed exactly once, under
/// the state lock's rules.
final class ClientCall: Sendable {
    let streamID: UInt32
    /// Whether an async task will await the final outcome with ``response()`` whatever happens
    /// (an async unary call): only such a call's ending may be counted (``Answer/counted``), as only
    /// its task reports back.
    let answerAwaited: Bool
    let receiveWindow: Int
    /// Rung when the call ends, for a caller blocked on its own thread (see ClientConnection+Blocking).
    let bell: Doorbell?
    /// The call's deadline and the error it ends with then; nil without one. The connection's
    /// deadline entry looks at it (``ClientConnection/endCallsPastDeadline()``).
    let timing: CallTiming?
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var outcome: Result<[UInt8]?, RPCError>?
        /// Whether `outcome` is set: tested where the outcome itself is not wanted, since a test of
        /// the optional copied and destroyed the `Result` (its `RPCError` field by field).
        var ended = false
        /// Whether the connection counted the awaiting task's resumption (``Answer/counted``).
        var resumeCounted = false
        /// Unsafe rather than checked: the checked kind allocates per call, and this one is resumed
        /// exactly once by construction (taken out of the state under its lock, or never stored).
        var responseWaiter: UnsafeContinuation<Answer, Never>?
        var messages: [[UInt8]] = []
        var messagesHead = 0
        var messageWaiter: CheckedContinuation<[UInt8]?, any Error>?
        /// Whether a stream's consumer or sender ever parked (`messageWaiter`, `creditWaiter`): only
        /// then does an ending look at them. A `CheckedContinuation` is a resilient type of the
        /// standard library, so each copy, test and destroy of one goes through its value witnesses:
        /// taking both out with the response's waiter cost every unary call ~750 instructions
        /// (callgrind of a get at 64 in flight, docs/performance/HISTORY.md "get31").
        var streamWaiterParked = false
        var consumedSinceUpdate = 0
        /// Frame bytes of stream messages received and not yet given back as credit: what the
        /// server's credit on this stream is down by, so the server may send only while it is
        /// below ``receiveWindow`` (PROTOCOL.md section 8). A hostile server need not keep to that,
        /// and the reader would hold whatever it sends.
        var unreturned = 0
        var sendCredit: Int
        var creditWaiter: CheckedContinuation<Bool, any Error>?
    }

    init(streamID: UInt32, answerAwaited: Bool, sendCredit: Int, receiveWindow: Int, bell: Doorbell? = nil,
         timing: CallTiming? = nil) {
        self.streamID = streamID
        self.timing = timing
        self.answerAwaited = answerAwaited
        self.receiveWindow = receiveWindow
        self.bell = bell
        state = Mutex(State(sendCredit: sendCredit))
    }

    var isFinished: Bool { state.withLock { $0.ended } }

    /// The final outcome once the call ended (nil before): what a blocked caller takes home.
    var outcome: Result<[UInt8]?, RPCError>? { state.withLock { $0.outcome } }

    /// What the task awaiting the final outcome is handed.
    struct Answer {
        let outcome: Result<[UInt8]?, RPCError>
        /// Whether the connection's reader thread counted this ending among the tasks it resumed
        /// whose next calls it holds back (ClientConnection+Batching): the task then reports that it
        /// ran, with ``ClientConnection/resumedTaskRan()``.
        let counted: Bool
    }

    // MARK: From the reader thread (or a local cancel/deadline)

    /// Ends the call; the first ending wins. `local` endings (cancel, deadline, connection loss)
    /// drop buffered stream messages. `counted`: the reader thread counted the awaiting task's
    /// resumption (``Answer/counted``). Returns false if the call had already ended.
    @discardableResult
    func finish(_ outcome: Result<[UInt8]?, RPCError>, local: Bool, counted: Bool = false) -> Bool {
        let (ended, responseWaiter, streamWaiterParked): (Bool, UnsafeContinuation<Answer, Never>?, Bool) = state.withLock { state in
            guard !state.ended else { return (false, nil, false) }
            state.ended = true
            state.outcome = outcome
            state.resumeCounted = counted
            if local {
                state.messages = []
                state.messagesHead = 0
            }
            defer { state.responseWaiter = nil }
            return (true, state.responseWaiter, state.streamWaiterParked)
        }
        guard ended else { return false }
        bell?.ring()
        responseWaiter?.resume(returning: Answer(outcome: outcome, counted: counted))
        if streamWaiterParked { resumeStreamWaiters(after: outcome) }
        return true
    }

    /// Resumes a stream's parked consumer and sender once the call ended. No waiter is parked after
    /// the end (both look at the outcome first), and one taken meanwhile by ``addCredit(_:)`` was
    /// resumed there: each is resumed once. A consumer only waits on an empty queue, so a waiting
    /// consumer has nothing left to read.
    private func resumeStreamWaiters(after outcome: Result<[UInt8]?, RPCError>) {
        let (messageWaiter, creditWaiter) = state.withLock { state in
            defer {
                state.messageWaiter = nil
                state.creditWaiter = nil
            }
            return (state.messageWaiter, state.creditWaiter)
        }
        switch outcome {
        case .success:
            messageWaiter?.resume(returning: nil)
            creditWaiter?.resume(returning: true)
        case .failure(let error):
            messageWaiter?.resume(throwing: error)
            creditWaiter?.resume(throwing: error)
        }
    }

    /// Queues a server-stream message, or hands it to the waiting consumer. False, delivering
    /// nothing, when the server sent it without credit (what it had received and not given back
    /// already filled the window): the caller fails the call, so a stream holds at most its
    /// window and one frame.
    func deliver(_ message: [UInt8]) -> Bool {
        let (waiter, withinWindow): (CheckedContinuation<[UInt8]?, any Error>?, Bool) = state.withLock { state in
            guard state.outcome == nil else { return (nil, true) }
            guard state.unreturned < receiveWindow else { return (nil, false) }
            state.unreturned += FrameHeader.cost(ofPayload: message.count)
            if let waiter = state.messageWaiter {
                state.messageWaiter = nil
                state.consumedSinceUpdate += FrameHeader.cost(ofPayload: message.count)
                return (waiter, true)
            }
            state.messages.append(message)
            return (nil, true)
        }
        waiter?.resume(returning: message)
        return withinWindow
    }

    func addCredit(_ increment: Int) {
        let waiter: CheckedContinuation<Bool, any Error>? = state.withLock { state in
            // Saturating: a server repeating WINDOW_UPDATEs of 2^32 - 1 would otherwise overflow it and trap.
            let (sum, overflow) = state.sendCredit.addingReportingOverflow(increment)
            state.sendCredit = overflow ? .max : sum
            guard state.sendCredit > 0 else { return nil }
            defer { state.creditWaiter = nil }
            return state.creditWaiter
        }
        waiter?.resume(returning: false)   // the sender retries and spends the credit itself
    }

    // MARK: From the awaiting task

    /// The final outcome: the response message (unary, client streaming) or nil.
    func response() async -> Answer {
        await withUnsafeContinuation { continuation in
            let answer: Answer? = state.withLock { state in
                guard state.ended, let outcome = state.outcome else {
                    state.responseWaiter = continuation
                    return nil
                }
                return Answer(outcome: outcome, counted: state.resumeCounted)
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// The next server-stream message (nil after an OK status), and the credit to return if due.
    func nextMessage() async throws -> (message: [UInt8]?, creditToReturn: Int) {
        let message: [UInt8]?
        if let ready = takeMessage(orPark: nil) {
            message = try ready.get()
        } else {
            message = try await withCheckedThrowingContinuation { continuation in
                if let ready = takeMessage(orPark: continuation) {
                    continuation.resume(with: ready.mapError { $0 as any Error })
                }
            }
        }
        let credit = state.withLock { state -> Int in
            guard state.consumedSinceUpdate >= receiveWindow / 2, state.outcome == nil else { return 0 }
            // Counted as given back before the WINDOW_UPDATE is sent, so the server never holds
            // credit this count does not know of.
            state.unreturned -= state.consumedSinceUpdate
            defer { state.consumedSinceUpdate = 0 }
            return state.consumedSinceUpdate
        }
        return (message, credit)
    }

    /// Pops the next queued message, or reports the end; otherwise parks `waiter` (if given), which
    /// ``deliver(_:)`` or ``finish(_:local:)`` resumes. Checking and parking under one lock is what
    /// keeps a message from slipping in between.
    private func takeMessage(orPark waiter: CheckedContinuation<[UInt8]?, any Error>?) -> Result<[UInt8]?, RPCError>? {
        state.withLock { state in
            if state.messagesHead < state.messages.count {
                let message = state.messages[state.messagesHead]
                state.messages[state.messagesHead] = []
                state.messagesHead += 1
                if state.messagesHead == state.messages.count {
                    state.messages.removeAll(keepingCapacity: true)
                    state.messagesHead = 0
                }
                state.consumedSinceUpdate += FrameHeader.cost(ofPayload: message.count)
                return .success(message)
            }
            if let outcome = state.outcome { return outcome.map { _ in nil } }
            if let waiter {
                state.messageWaiter = waiter
                state.streamWaiterParked = true
            }
            return nil
        }
    }

    /// Waits for send credit, then spends `cost`. Throws the call's error once it ended with one.
    func spendCredit(_ cost: Int) async throws {
        while true {
            if let ready = trySpendCredit(cost, waiter: nil) {
                return try ready.get()
            }
            let spent = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
                if let ready = trySpendCredit(cost, waiter: continuation) {
                    continuation.resume(with: ready.map { true }.mapError { $0 as any Error })
                }
            }
            if spent { return }
        }
    }

    /// Spends credit if there is some (or reports the call's end); otherwise parks `waiter`, which
    /// ``addCredit(_:)`` resumes with false (retry) and ``finish(_:local:)`` with the outcome.
    private func trySpendCredit(_ cost: Int, waiter: CheckedContinuation<Bool, any Error>?) -> Result<Void, RPCError>? {
        state.withLock { state in
            if let outcome = state.outcome { return outcome.map { _ in () } }
            if state.sendCredit > 0 {
                state.sendCredit -= cost
                return .success(())
            }
            if let waiter {
                state.creditWaiter = waiter
                state.streamWaiterParked = true
            }
            return nil
        }
    }
}
