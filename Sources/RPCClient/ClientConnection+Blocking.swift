import RPCCore
import RPCTransport

/// Callers blocked on threads of their own (``ClientChannel/unaryBlocking(_:payload:options:)``):
/// leader and followers, the shape of the C floor.
///
/// Why the caller reads: handing a response from the reader thread to a waiting caller wakes two
/// threads per call; a caller that reads its own response wakes one, itself, when the bytes come.
/// It may sleep in poll(2) doing so because its thread is its own, never the cooperative pool's.
///
/// Several blocked callers on one connection take turns: the one holding the `.caller` role (the
/// leader) reads and delivers every frame, waking the followers whose responses it meets; once its
/// own response has come it hands the role to a follower still waiting
/// (``releaseReadingByCaller(excluding:)``), or to the reader thread while async calls are in flight.
/// A follower sleeps on its call's doorbell, rung when its call ends or the role is handed to it.
/// When the reader thread already reads (async calls in flight), blocked callers stay followers
/// and the thread delivers to them: taking the role over would cost the thread a wake-up later.
extension ClientConnection {
    /// Doorbells kept for reuse; more blocked callers than this at once allocate their own.
    static let maxSpareBells = 64

    /// A doorbell for a blocking call (a spare one if there is one).
    func takeBell() -> Doorbell {
        state.withLock { $0.spareBells.popLast() } ?? Doorbell()
    }

    /// Keeps `bell` for the next blocking call. A ring left over from the call that used it only
    /// makes the next waiter look at its state once more.
    func returnBell(_ bell: Doorbell) {
        state.withLock { state in
            if state.spareBells.count < Self.maxSpareBells { state.spareBells.append(bell) }
        }
    }

    private enum Turn { case lead, follow }

    /// Blocks the calling thread until `call` (started with its doorbell) has its outcome: reading
    /// the socket while it leads, sleeping on the doorbell while it follows. Past `timing.deadline` the
    /// leader ends the call with `timing.expired` itself (a follower is ended by the deadline scheduler).
    func waitBlocking(for call: ClientCall, timing: CallTiming) {
        guard let bell = call.bell else { return }
        while !call.isFinished {
            switch takeTurn(for: call) {
            case .lead:
                lead(until: call, timing: timing)
                releaseReadingByCaller(excluding: call.streamID)
            case .follow:
                bell.wait()
            }
        }
        // The role may have been handed to this caller just as its call ended: pass it on.
        let handedOver = state.withLock { state in
            state.blockingCallers[call.streamID] = nil
            guard state.promotedCaller == call.streamID else { return false }
            state.promotedCaller = nil
            return true
        }
        if handedOver { releaseReadingByCaller(excluding: call.streamID) }
        returnBell(bell)
    }

    private func takeTurn(for call: ClientCall) -> Turn {
        state.withLock { state in
            if state.promotedCaller == call.streamID {
                state.promotedCaller = nil
                return .lead
            }
            guard state.reader == .nobody, !state.readingEnded else { return .follow }
            state.reader = .caller
            return .lead
        }
    }

    /// Reads and delivers frames until `call` has ended (or reading has ended for good).
    private func lead(until call: ClientCall, timing: CallTiming) {
        while true {
            if let failure = handleBufferedFrames() {
                endReading(failure)
                return
            }
            if call.isFinished { return }
            var timeout: Duration?
            if let remaining = timing.remaining() {
                guard remaining > 0 else {
                    // The CANCEL write may block; this thread is the caller's own, so it may wait.
                    cancel(call, with: timing.expired)
                    return
                }
                timeout = .nanoseconds(Int64(clamping: remaining))
            }
            if case .ended(let failure) = readOnce(timeout: timeout) {
                endReading(failure)
                return
            }
        }
    }
}
