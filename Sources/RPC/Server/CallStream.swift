import Synchronization

/// Per-stream flow control of a streaming call on the server (PROTOCOL.md, "Flow control").
///
/// Outgoing: `sendCredit` starts at the client's announced window; a MESSAGE may be sent while it is
/// positive and costs its frame size; WINDOW_UPDATE frames add to it. Incoming: messages queue in
/// `inbox`; the client may not exceed our window, so the queue holds at most window + one frame;
/// consumed bytes are returned as credit once half the window has been consumed.
final class CallStream: @unchecked Sendable {   // all mutable state guarded by `lock`
    private let lock = ConditionLock()
    private var sendCredit: Int
    private var inbox: [[UInt8]] = []
    private var inboxHead = 0
    private var inboxBytes = 0
    private var clientEnded = false
    private var consumedSinceUpdate = 0
    private var isWoken = false
    let receiveWindow: Int
    private let maxFrameSize: Int
    /// The connection writer's position just past this stream's last message (see
    /// ``FrameWriter/writeStreamFrame(after:streamLimit:abandon:_:)``); only the sending handler uses it.
    private let queuedEndStorage = Atomic<Int>(0)

    var queuedEnd: Int {
        get { queuedEndStorage.load(ordering: .relaxed) }
        set { queuedEndStorage.store(newValue, ordering: .relaxed) }
    }

    init(sendCredit: Int, receiveWindow: Int, maxFrameSize: Int) {
        self.sendCredit = sendCredit
        self.receiveWindow = receiveWindow
        self.maxFrameSize = maxFrameSize
    }

    /// The wire cost of a message frame: header plus payload.
    static func cost(ofPayload count: Int) -> Int { FrameHeader.size + count }

    /// Blocks until there is credit, then spends `cost`; throws once the call is cancelled.
    func spendCredit(_ cost: Int, context: ServerContext) throws {
        lock.lock()
        while sendCredit <= 0 && !isWoken { lock.wait() }
        let stop = isWoken
        if !stop { sendCredit -= cost }
        lock.unlock()
        if stop { try context.checkCancellation() }
    }

    func addCredit(_ increment: Int) {
        lock.withLock {
            let wasBlocked = sendCredit <= 0
            sendCredit += increment
            if wasBlocked && sendCredit > 0 { lock.broadcast() }
        }
    }

    /// Queues a client message (nil: end of stream only). False when the client overran its window.
    func deliver(_ message: [UInt8]?, endOfStream: Bool) -> Bool {
        lock.withLock {
            if let message {
                inboxBytes += Self.cost(ofPayload: message.count)
                guard inboxBytes <= receiveWindow + Self.cost(ofPayload: maxFrameSize) else { return false }
                inbox.append(message)
            }
            if endOfStream { clientEnded = true }
            lock.broadcast()
            return true
        }
    }

    /// The next client message, nil at end of stream, and the credit to return to the client if due.
    func nextMessage(context: ServerContext) throws -> (message: [UInt8]?, creditToReturn: Int) {
        lock.lock()
        while inboxHead == inbox.count && !clientEnded && !isWoken { lock.wait() }
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
        let cost = Self.cost(ofPayload: message.count)
        inboxBytes -= cost
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
