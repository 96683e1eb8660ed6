import RPCCore
import RPCTransport
import Synchronization

/// The server announces how many calls a connection may have in flight (HELLO); beyond that it
/// would refuse calls with RESOURCE_EXHAUSTED. The client queues them instead, first come first served.
extension ClientConnection {
    /// Waits until the connection has room for one more call. The slot belongs to the caller until
    /// ``startCall(answerAwaited:callerReads:bell:build:)`` takes it over (it releases it on failure, or when the call ends).
    func acquireCallSlot() async throws {
        guard let id = try admit() else { return }
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                if let answer = admitOrQueue(id, .task(continuation)) { continuation.resume(returning: answer) }
            }
        } onCancel: {
            abandonSlotWait(id)
        }
        guard granted else {
            throw state.withLock { $0.refusal } ?? RPCError(.cancelled, "the calling task was cancelled")
        }
    }

    /// Waits, blocking the calling thread (never a cooperative-pool thread), until the connection
    /// has room for one more call; the slot is then the caller's as with ``acquireCallSlot()``.
    func acquireCallSlotBlocking() throws(RPCError) {
        guard let id = try admit() else { return }
        let wait = ThreadSlotWait()
        guard admitOrQueue(id, .thread(wait)) ?? wait.granted() else {
            throw state.withLock { $0.refusal } ?? RPCError(.unavailable, "connection to \(path) is closed")
        }
    }

    /// Takes a free slot (nil), or draws the number under which the caller will wait for one;
    /// throws the connection's refusal once it takes no more calls.
    private func admit() throws(RPCError) -> UInt64? {
        try state.withLock { (state: inout State) throws(RPCError) -> UInt64? in
            if let refusal = state.refusal { throw refusal }
            if state.activeCalls < callLimit {
                state.activeCalls += 1
                return nil
            }
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
    }

    /// Takes a slot freed since ``admit()``, or queues `waiter` for one: the answer when there is
    /// one already (false: the connection stopped, or the wait was abandoned), nil when queued.
    private func admitOrQueue(_ id: UInt64, _ waiter: SlotWaiter) -> Bool? {
        state.withLock { state in
            if state.refusal != nil || state.abandonedWaiters.remove(id) != nil { return false }
            if state.activeCalls < callLimit {
                state.activeCalls += 1
                return true
            }
            state.slotWaiters.append((id, waiter))
            return nil
        }
    }

    /// Gives a slot back: to the longest waiting call, or to the pool.
    func releaseCallSlot() {
        state.withLock { Self.releaseSlot(in: &$0) }?.resume(returning: true)
    }

    /// Gives a slot back under the state lock: returns the waiter it went to, to be resumed
    /// once the lock is released.
    static func releaseSlot(in state: inout State) -> SlotWaiter? {
        guard state.slotWaiters.isEmpty else { return state.slotWaiters.removeFirst().waiter }
        state.activeCalls -= 1
        return nil
    }

    /// A waiting task was cancelled: stop waiting (or make sure it never starts to).
    private func abandonSlotWait(_ id: UInt64) {
        let waiter: SlotWaiter? = state.withLock { state in
            guard let index = state.slotWaiters.firstIndex(where: { $0.id == id }) else {
                state.abandonedWaiters.insert(id)
                return nil
            }
            return state.slotWaiters.remove(at: index).waiter
        }
        waiter?.resume(returning: false)
    }
}

/// A call waiting for a slot: a suspended task, or a thread blocked in ``ClientConnection/acquireCallSlotBlocking()``.
enum SlotWaiter: Sendable {
    case task(CheckedContinuation<Bool, Never>)
    case thread(ThreadSlotWait)

    /// Hands the waiter its answer: a slot (true), or none because the connection stopped (false).
    func resume(returning granted: Bool) {
        switch self {
        case .task(let continuation): continuation.resume(returning: granted)
        case .thread(let wait): wait.answer(granted)
        }
    }
}

/// Where a blocked thread waits for its slot: the answer, and the doorbell that announces it.
final class ThreadSlotWait: Sendable {
    private let bell = Doorbell()
    private let result = Mutex<Bool?>(nil)

    func answer(_ granted: Bool) {
        result.withLock { $0 = granted }
        bell.ring()
    }

    /// Blocks until ``answer(_:)`` was called, then returns its answer.
    func granted() -> Bool {
        while true {
            if let granted = result.withLock({ $0 }) { return granted }
            bell.wait()
        }
    }
}
