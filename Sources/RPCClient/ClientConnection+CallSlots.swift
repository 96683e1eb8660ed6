import RPCCore
import RPCTransport

/// The server announces how many calls a connection may have in flight (HELLO); beyond that it
/// would refuse calls with RESOURCE_EXHAUSTED. The client queues them instead, first come first served.
extension ClientConnection {
    enum Admission {
        case granted
        case refused(RPCError)
        case wait(UInt64)
    }

    /// Waits until the connection has room for one more call. The slot belongs to the caller until
    /// ``startCall(kind:callerReads:build:)`` takes it over (it releases it on failure, or when the call ends).
    func acquireCallSlot() async throws {
        let admission: Admission = state.withLock { state in
            if let refusal = state.refusal { return .refused(refusal) }
            if state.activeCalls < callLimit {
                state.activeCalls += 1
                return .granted
            }
            state.nextWaiterID += 1
            return .wait(state.nextWaiterID)
        }
        switch admission {
        case .granted:
            return
        case .refused(let error):
            throw error
        case .wait(let id):
            let granted = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                    let answer: Bool? = state.withLock { state in
                        if state.refusal != nil || state.abandonedWaiters.remove(id) != nil { return false }
                        if state.activeCalls < callLimit {
                            state.activeCalls += 1
                            return true
                        }
                        state.slotWaiters.append((id, continuation))
                        return nil
                    }
                    if let answer { continuation.resume(returning: answer) }
                }
            } onCancel: {
                abandonSlotWait(id)
            }
            guard granted else {
                throw state.withLock { $0.refusal } ?? RPCError(.cancelled, "the calling task was cancelled")
            }
        }
    }

    /// Gives a slot back: to the longest waiting call, or to the pool.
    func releaseCallSlot() {
        let next: CheckedContinuation<Bool, Never>? = state.withLock { state in
            guard state.slotWaiters.isEmpty else { return state.slotWaiters.removeFirst().continuation }
            state.activeCalls -= 1
            return nil
        }
        next?.resume(returning: true)
    }

    /// A waiting task was cancelled: stop waiting (or make sure it never starts to).
    private func abandonSlotWait(_ id: UInt64) {
        let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
            guard let index = state.slotWaiters.firstIndex(where: { $0.id == id }) else {
                state.abandonedWaiters.insert(id)
                return nil
            }
            return state.slotWaiters.remove(at: index).continuation
        }
        waiter?.resume(returning: false)
    }
}
