import RPCCore
import RPCTransport
import Synchronization

/// Per-stream flow control of a streaming call on the server (PROTOCOL.md, "Flow control").
///
/// Outgoing: `sendCredit` starts at the client's announced window; a MESSAGE may be sent while it is
/// positive and costs its frame size; WINDOW_UPDATE frames add to it. Incoming: messages queue in
/// `inbox`; the client may not exceed our window, so the queue holds at most window + one frame, and
/// all streams of the connection together at most their ``ClientStreamBudget``; consumed bytes are
/// returned as credit once half the window has been consumed.
final class CallStream: @unchecked Sendable {   // all mutable state guarded by `lock`
    private let lock = ConditionLock()
    private var sendCredit: Int
    private var inbox: [[UInt8]] = []
    private var inboxHead = 0
    private var inboxBytes = 0
    private var clientEnded = false
    private var consumedSinceUpdate = 0
    private var isWoken = false
    /// The client shut down its side of the connection: no WINDOW_UPDATE can come any more.
    private var creditEnded = false
    let receiveWindow: Int
    private let maxFrameSize: Int
    /// The connection's, shared by its streams; what `inbox` holds is taken from it and given back.
    private let budget: ClientStreamBudget
    /// The connection writer's position just past this stream's last message (see
    /// ``FrameWriter/writeStreamFrame(after:streamLimit:abandon:_:)``); only the sending handler uses it.
    private let queuedEndStorage = Atomic<Int>(0)

    var queuedEnd: Int {
        get { queuedEndStorage.load(ordering: .relaxed) }
        set { queuedEndStorage.store(newValue, ordering: .relaxed) }
    }

    init(sendCredit: Int, receiveWindow: Int, maxFrameSize: Int, budget: ClientStreamBudget) {
        self.sendCredit = sendCredit
        self.receiveWindow = receiveWindow
        self.maxFrameSize = maxFrameSize
        self.budget = budget
    }

    deinit {
        // Messages never taken (the call ended first) leave with the stream.
        budget.giveBack(inboxBytes)
    }

    /// Blocks until there is credit, then spends `cost`; throws once the call is cancelled.
    func spendCredit(_ cost: Int, context: ServerContext) throws {
        lock.lock()
        while sendCredit <= 0 && !isWoken && !creditEnded { lock.wait() }
        let stop = isWoken
        let starved = !stop && sendCredit <= 0
        if !stop && !starved { sendCredit -= cost }
        lock.unlock()
        if stop { try context.checkCancellation() }
        if starved {
            throw RPCError(.resourceExhausted, "the client shut down its side of the connection with no flow-control credit left")
        }
    }

    /// The client shut down its side of the connection (PROTOCOL.md section 11, "Half-close"): a
    /// sender waiting for credit would wait for ever. Returns whether the client had ended its stream.
    func clientInputEnded() -> Bool {
        lock.withLock {
            creditEnded = true
            lock.broadcast()
            return clientEnded
        }
    }

    func addCredit(_ increment: Int) {
        lock.withLock {
            let wasBlocked = sendCredit <= 0
            // Saturating: a client repeating WINDOW_UPDATEs of 2^32 - 1 would otherwise overflow it and trap.
            let (sum, overflow) = sendCredit.addingReportingOverflow(increment)
            sendCredit = overflow ? .max : sum
            if wasBlocked && sendCredit > 0 { lock.broadcast() }
        }
    }

    enum Delivery { case accepted, overrun, overBudget, afterEnd }

    /// Queues a client message (nil: end of stream only). Refused when the client overran its window,
    /// the connection's budget has no room for it, or the client had already ended its stream.
    func deliver(_ message: [UInt8]?, endOfStream: Bool) -> Delivery {
        lock.withLock {
            if clientEnded { return .afterEnd }
            if let message {
                let cost = FrameHeader.cost(ofPayload: message.count)
                guard inboxBytes + cost <= receiveWindow + FrameHeader.cost(ofPayload: maxFrameSize) else { return .overrun }
                guard budget.take(cost) else { return .overBudget }
                inboxBytes += cost
                inbox.append(message)
            }
            if endOfStream { clientEnded = true }
            lock.broadcast()
            return .accepted
        }
    }

    /// The next client message, nil at end of stream, and the credit to return to the client if due.
    /// - Throws: DEADLINE_EXCEEDED when no message (nor the end) came within `timeout`.
    func nextMessage(context: ServerContext, timeout: Duration) throws -> (message: [UInt8]?, creditToReturn: Int) {
        let deadline = ContinuousClock.now + timeout
        lock.lock()
        while inboxHead == inbox.count && !clientEnded && !isWoken {
            guard lock.wait(until: deadline) || inboxHead < inbox.count || clientEnded || isWoken else {
                lock.unlock()
                throw RPCError(.deadlineExceeded, "the client sent no message for \(timeout) while the call waited for one")
            }
        }
        if isWoken {
            lock.unlock()
            try context.checkCancellation()
            return (nil, 0)
        }
        guard inboxHead < inbox.count else {
            lock.unlock()
            return (nil, 0)
        }
        let message = inbox[inboxHead]
        inbox[inboxHead] = []
        inboxHead += 1
        if inboxHead == inbox.count {
            inbox.removeAll(keepingCapacity: true)
            inboxHead = 0
        }
        let cost = FrameHeader.cost(ofPayload: message.count)
        inboxBytes -= cost
        budget.giveBack(cost)
        consumedSinceUpdate += cost
        var credit = 0
        if consumedSinceUpdate >= receiveWindow / 2 {
            credit = consumedSinceUpdate
            consumedSinceUpdate = 0
        }
        lock.unlock()
        return (message, credit)
    }

    /// Wakes blocked senders and receivers for good (the call was cancelled).
    func wakeAll() {
        lock.withLock {
            isWoken = true
            lock.broadcast()
        }
    }
}
