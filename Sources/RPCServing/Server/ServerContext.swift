import RPCCore
import RPCTransport
import Synchronization
import ThreadSync

/// Everything a handler knows about its call: method, caller, metadata, deadline, cancellation.
///
/// One context exists per call. It is cancelled when the client cancels, the deadline passes, the
/// connection closes or the server stops waiting at shutdown; handlers poll ``isCancelled`` (or call
/// ``checkCancellation()``) between units of work, and stream readers and writers throw once it is set.
public final class ServerContext: Sendable {
    /// The method being called.
    public let method: MethodDescriptor
    /// The calling process, from the socket (`SO_PEERCRED`).
    public let peer: PeerCredentials
    /// The metadata the client sent with the call.
    public let metadata: Metadata
    /// When the client stops waiting; nil when it set no timeout. Made from ``deadlineNanoseconds``
    /// when asked (nothing here asks per call; two clock reads).
    public var deadline: ContinuousClock.Instant? {
        deadlineNanoseconds.map { deadline in
            let now = MonotonicClock.nanoseconds()
            let ahead = deadline >= now ? Int64(clamping: deadline - now) : -Int64(clamping: now - deadline)
            return ContinuousClock.now + .nanoseconds(ahead)
        }
    }
    /// The deadline as ``MonotonicClock`` nanoseconds, from ``startedAt``: no clock read of its own.
    let deadlineNanoseconds: UInt64?

    let streamID: UInt32
    let connection: ServerConnection
    /// Flow-control state of a streaming call; nil for unary calls.
    let stream: CallStream?
    /// When the CALL_START frame was read (``MonotonicClock`` nanoseconds): the call's duration
    /// and its deadline run from here.
    let startedAt: UInt64
    /// Where the call's status and duration are counted.
    let methodStatistics: MethodStatistics
    /// The request's charge to the user's input budget, given back when the handler answers or
    /// returns (see ``HeldRequest``); nil when nothing is charged.
    let heldRequest: HeldRequest?

    private let cancelled = Atomic<Bool>(false)
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var cancellation: RPCError?
        var finished = false
        /// The handler claimed the end ahead of its answer (``ServerContext/claimAnswer()``): its
        /// answer, when it comes, is still to be written.
        var answerHeldByHandler = false
        var attachment: (any AnyObject & Sendable)?
        /// The one cancel handler most calls have (every customer call registers its reads'
        /// interruption for as long as it runs), kept without a dictionary: registering it there
        /// cost a call ~1 400 instructions (callgrind of a get). Any more go in `cancelHandlers`.
        var firstCancelHandler: (id: UInt64, run: @Sendable () -> Void)?
        var cancelHandlers: [UInt64: @Sendable () -> Void] = [:]
        var nextHandlerID: UInt64 = 0
    }

    /// `timeoutMicroseconds`: the CALL_START's (0: none), counted from `startedAt`.
    init(method: MethodDescriptor, peer: PeerCredentials, metadata: Metadata, timeoutMicroseconds: UInt64,
         startedAt: UInt64 = MonotonicClock.nanoseconds(),
         streamID: UInt32, connection: ServerConnection, stream: CallStream?, methodStatistics: MethodStatistics,
         heldRequest: HeldRequest?) {
        self.method = method
        self.peer = peer
        self.metadata = metadata
        self.startedAt = startedAt
        let (nanoseconds, overflow) = timeoutMicroseconds.multipliedReportingOverflow(by: 1000)
        deadlineNanoseconds = timeoutMicroseconds == 0
            ? nil : DeadlineWatch.deadline(after: overflow ? .max : nanoseconds, from: startedAt)
        self.streamID = streamID
        self.connection = connection
        self.stream = stream
        self.methodStatistics = methodStatistics
        self.heldRequest = heldRequest
    }

    /// True once the call was cancelled by the client, passed its deadline, lost its connection,
    /// or was cut off by a server shutdown. Cheap to poll (one atomic load).
    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Why the call was cancelled: `CANCELLED` (the client, or its connection), `DEADLINE_EXCEEDED`,
    /// or `UNAVAILABLE` (cut off by a server shutdown); nil while it is not.
    public var cancellation: RPCError? {
        guard isCancelled else { return nil }
        return state.withLock { $0.cancellation }
    }

    /// Throws ``cancellation`` once the call is cancelled.
    public func checkCancellation() throws {
        if let error = cancellation { throw error }
    }

    /// An object set by an interceptor (e.g. the resolved user) for the handler to read.
    ///
    /// A class reference, not `any Sendable`: copying it out is one retain and `as? SomeFinalClass`
    /// a class cast (`swift_dynamicCastClass`), where an opaque existential went through value
    /// witnesses and `swift_dynamicCast` (~500 instructions a call, callgrind of a get;
    /// docs/performance/HISTORY.md "get28").
    public var attachment: (any AnyObject & Sendable)? {
        get { state.withLock { $0.attachment } }
        set { state.withLock { $0.attachment = newValue } }
    }

    /// Runs `handler` once when the call is cancelled (at once if it already is), on the thread
    /// that cancels it: keep it short and non-blocking (e.g. `sqlite3_interrupt`).
    @discardableResult
    public func onCancel(_ handler: @escaping @Sendable () -> Void) -> CancelRegistration {
        let id: UInt64? = state.withLock { state in
            guard state.cancellation == nil else { return nil }
            state.nextHandlerID += 1
            if state.firstCancelHandler == nil {
                state.firstCancelHandler = (state.nextHandlerID, handler)
            } else {
                state.cancelHandlers[state.nextHandlerID] = handler
            }
            return state.nextHandlerID
        }
        guard let id else {
            handler()
            return CancelRegistration(id: 0)
        }
        return CancelRegistration(id: id)
    }

    /// Forgets a handler registered with ``onCancel(_:)`` (e.g. when the query it would interrupt is done).
    public func removeCancelHandler(_ registration: CancelRegistration) {
        state.withLock { state in
            if state.firstCancelHandler?.id == registration.id {
                state.firstCancelHandler = nil
            } else {
                state.cancelHandlers.removeValue(forKey: registration.id)
            }
        }
    }

    /// Runs `operation` with `handler` registered for cancellation only while it runs.
    public func withCancelHandler<T>(_ handler: @escaping @Sendable () -> Void, operation: () throws -> T) rethrows -> T {
        let registration = onCancel(handler)
        defer { removeCancelHandler(registration) }
        return try operation()
    }

    /// Takes the call's answer for the handler before it returns, for a handler about to make its
    /// work permanent (an import's COMMIT): a call the server answered itself (DEADLINE_EXCEEDED,
    /// UNAVAILABLE at the end of a shutdown's grace period, a refused stream frame) or that the
    /// client abandoned (CANCEL, connection gone) must not commit afterwards. From here on none of
    /// those ends the call: the handler's answer, whenever it comes, is the one the client gets
    /// (if the connection is still there), so the handler must not wait on anything unbounded after it.
    /// A handler that claimed it already (a call making several writes) claims it again at no cost.
    /// - Throws: the call's cancellation (`CANCELLED`, `DEADLINE_EXCEEDED`, `UNAVAILABLE`) when its
    ///   end was claimed already: the handler must then undo its work.
    public func claimAnswer() throws {
        let claimed = state.withLock { state -> Bool in
            guard !state.finished else { return state.answerHeldByHandler }
            state.finished = true
            state.answerHeldByHandler = true
            return true
        }
        guard claimed else {
            // The one who claimed the end sets the cancellation just after: the code may be lagging, not the fact.
            throw state.withLock { $0.cancellation } ?? RPCError(.cancelled, "the call already ended")
        }
    }

    /// Whether the handler took the call's answer ahead (``claimAnswer()``) and has not returned:
    /// its work is permanent (a write committed or about to), so its answer is the one to give.
    /// Takes the context's lock: for after something rare was seen, not for every call.
    public var answerClaimedByHandler: Bool { state.withLock { $0.answerHeldByHandler } }

    // MARK: Lifecycle (server internal)

    /// Marks the call cancelled with `error` (first reason wins), wakes a blocked stream reader or
    /// writer and runs the cancel handlers.
    func cancel(_ error: RPCError) {
        let handlers: [@Sendable () -> Void]? = state.withLock { state in
            guard state.cancellation == nil else { return nil }
            state.cancellation = error
            defer {
                state.firstCancelHandler = nil
                state.cancelHandlers = [:]
            }
            return (state.firstCancelHandler.map { [$0.run] } ?? []) + state.cancelHandlers.values
        }
        guard let handlers else { return }
        cancelled.store(true, ordering: .releasing)
        stream?.wakeAll()
        if stream != nil { connection.writer.wakeWaiters() }
        for handler in handlers { handler() }
    }

    /// Claims the right to end the call; only the first caller (handler, deadline, cancel) gets true,
    /// and the handler (`byHandler`) also when it claimed the answer ahead (``claimAnswer()``).
    /// The deadline has nothing to undo: the connection's deadline entry passes over a finished
    /// call (``ServerConnection/endCallsPastDeadline()``).
    func markFinished(byHandler: Bool = false) -> Bool {
        state.withLock { state in
            guard !state.finished else {
                guard byHandler, state.answerHeldByHandler else { return false }
                state.answerHeldByHandler = false
                return true
            }
            state.finished = true
            return true
        }
    }

    /// Whether the call's end was claimed (its answer is written or on its way, or it was abandoned).
    var isFinished: Bool { state.withLock { $0.finished } }
}

/// Identifies a handler registered with ``ServerContext/onCancel(_:)``.
public struct CancelRegistration: Sendable, Hashable {
    let id: UInt64
}
