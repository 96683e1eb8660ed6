import RPCCore
import RPCTransport
import Synchronization
import ThreadSync

/// Per-stream flow control of a streaming call on the server (PROTOCOL.md, "Flow control").
///
/// Outgoing: `sendCredit` starts at the client's announced window; a MESSAGE may be sent while it is
/// positive and costs its frame size; WINDOW_UPDATE frames add to it. Incoming: messages queue in
/// `inbox`; the client may not exceed our window, so the queue holds at most window + one frame, and
/// all streams of the connection together at most their ``SharedBudget``, and all streams of the
/// OS user's connections at most the user's; consumed bytes are returned as credit once half the
/// window has been consumed.
final class CallStream: Sendable {
    private struct State {
        var sendCredit: Int
        var inbox: [[UInt8]] = []
        var inboxHead = 0
        var inboxBytes = 0
        var clientEnded = false
        var consumedSinceUpdate = 0
        var isWoken = false
        /// The client shut down its side of the connection: no WINDOW_UPDATE can come any more.
        var creditEnded = false

        var hasMessage: Bool { inboxHead < inbox.count }
    }

    private let state: ConditionalState<State>
    let receiveWindow: Int
    private let maxFrameSize: Int
    /// The connection's, shared by its streams; what `inbox` holds is taken from it and given back.
    private let budget: SharedBudget
    /// The OS user's input budget, shared by all its connections; `inbox` is taken from it too.
    private let userBudget: SharedBudget
    /// The connection writer's position just past this stream's last message (see
    /// ``FrameWriter/writeStreamFrame(after:streamLimit:abandon:_:)``); only the sending handler uses it.
    private let queuedEndStorage = Atomic<Int>(0)

    var queuedEnd: Int {
        get { queuedEndStorage.load(ordering: .relaxed) }
        set { queuedEndStorage.store(newValue, ordering: .relaxed) }
    }

    init(sendCredit: Int, receiveWindow: Int, maxFrameSize: Int, budget: SharedBudget, userBudget: SharedBudget) {
        state = ConditionalState(State(sendCredit: sendCredit))
        self.receiveWindow = receiveWindow
        self.maxFrameSize = maxFrameSize
        self.budget = budget
        self.userBudget = userBudget
    }

    deinit {
        // Messages never taken (the call ended first) leave with the stream.
        let held = state.withLock { $0.inboxBytes }
        budget.giveBack(held)
        userBudget.giveBack(held)
    }

    /// Blocks until there is credit, then spends `cost`; throws once the call is cancelled.
    func spendCredit(_ cost: Int, context: ServerContext) throws {
        let (stop, starved) = state.withCondition { held -> (Bool, Bool) in
            held.wait(until: { $0.sendCredit > 0 || $0.isWoken || $0.creditEnded })
            let stop = held.state.isWoken
            let starved = !stop && held.state.sendCredit <= 0
            if !stop && !starved { held.state.sendCredit -= cost }
            return (stop, starved)
        }
        if stop { try context.checkCancellation() }
        if starved {
            throw RPCError(.resourceExhausted, "the client shut down its side of the connection with no flow-control credit left")
        }
    }

    /// The client shut down its side of the connection (PROTOCOL.md section 11, "Half-close"): a
    /// sender waiting for credit would wait for ever. Returns whether the client had ended its stream.
    func clientInputEnded() -> Bool {
        state.withCondition { held in
            held.state.creditEnded = true
            held.broadcast()
            return held.state.clientEnded
        }
    }

    func addCredit(_ increment: Int) {
        state.withCondition { held in
            let wasBlocked = held.state.sendCredit <= 0
            // Saturating: a client repeating WINDOW_UPDATEs of 2^32 - 1 would otherwise overflow it and trap.
            let (sum, overflow) = held.state.sendCredit.addingReportingOverflow(increment)
            held.state.sendCredit = overflow ? .max : sum
            if wasBlocked && held.state.sendCredit > 0 { held.broadcast() }
        }
    }

    enum Delivery { case accepted, overrun, overBudget, overUserBudget, afterEnd }

    /// Queues a client message (nil: end of stream only). Refused when the client overran its window,
    /// the connection's or the user's budget has no room for it, or the client had already ended its stream.
    func deliver(_ message: [UInt8]?, endOfStream: Bool) -> Delivery {
        state.withCondition { held in
            if held.state.clientEnded { return .afterEnd }
            if let message {
                let cost = FrameHeader.cost(ofPayload: message.count)
                guard held.state.inboxBytes + cost <= receiveWindow + FrameHeader.cost(ofPayload: maxFrameSize) else { return .overrun }
                guard budget.take(cost) else { return .overBudget }
                guard userBudget.take(cost) else {
                    budget.giveBack(cost)
                    return .overUserBudget
                }
                held.state.inboxBytes += cost
                held.state.inbox.append(message)
            }
            if endOfStream { held.state.clientEnded = true }
            held.broadcast()
            return .accepted
        }
    }

    private enum Next {
        case timedOut, woken, ended
        case message([UInt8], creditToReturn: Int)
    }

    /// The next client message, nil at end of stream, and the credit to return to the client if due.
    /// - Throws: DEADLINE_EXCEEDED when no message (nor the end) came within `timeout`.
    func nextMessage(context: ServerContext, timeout: Duration) throws -> (message: [UInt8]?, creditToReturn: Int) {
        let deadline = ContinuousClock.now + timeout
        let next = state.withCondition { held -> Next in
            guard held.wait(until: { $0.hasMessage || $0.clientEnded || $0.isWoken }, deadline: deadline) else { return .timedOut }
            if held.state.isWoken { return .woken }
            guard held.state.hasMessage else { return .ended }
            let message = held.state.inbox[held.state.inboxHead]
            held.state.inbox[held.state.inboxHead] = []
            held.state.inboxHead += 1
            if held.state.inboxHead == held.state.inbox.count {
                held.state.inbox.removeAll(keepingCapacity: true)
                held.state.inboxHead = 0
            }
            let cost = FrameHeader.cost(ofPayload: message.count)
            held.state.inboxBytes -= cost
            budget.giveBack(cost)
            userBudget.giveBack(cost)
            held.state.consumedSinceUpdate += cost
            var credit = 0
            if held.state.consumedSinceUpdate >= receiveWindow / 2 {
                credit = held.state.consumedSinceUpdate
                held.state.consumedSinceUpdate = 0
            }
            return .message(message, creditToReturn: credit)
        }
        switch next {
        case .timedOut:
            throw RPCError(.deadlineExceeded, "the client sent no message for \(timeout) while the call waited for one")
        case .woken:
            try context.checkCancellation()
            return (nil, 0)
        case .ended:
            return (nil, 0)
        case .message(let message, let credit):
            return (message, credit)
        }
    }

    /// Wakes blocked senders and receivers for good (the call was cancelled).
    func wakeAll() {
        state.withLock { $0.isWoken = true }
        state.broadcast()
    }
}
