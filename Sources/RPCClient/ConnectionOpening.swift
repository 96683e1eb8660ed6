import RPCCore
import RPCTransport
import Synchronization

/// A connection being opened (connect(2) and the handshake, up to the connect timeout) and the
/// callers waiting for it: the first caller opens, the others wait here instead of opening their
/// own or holding the channel's lock, tasks suspended and blocked threads on a doorbell.
final class ConnectionOpening: Sendable {
    typealias Outcome = Result<ClientConnection, RPCError>

    private struct State: ~Copyable {
        var outcome: Outcome?
        var tasks: [CheckedContinuation<Outcome, Never>] = []
        var bells: [Doorbell] = []
    }

    private let state = Mutex(State())

    /// Publishes the outcome to every waiter, present and future.
    func finish(_ outcome: Outcome) {
        let (tasks, bells) = state.withLock { state in
            state.outcome = outcome
            defer {
                state.tasks = []
                state.bells = []
            }
            return (state.tasks, state.bells)
        }
        for task in tasks { task.resume(returning: outcome) }
        for bell in bells { bell.ring() }
    }

    /// Suspends the task (not its thread) until the opener finished.
    func outcome() async -> Outcome {
        await withCheckedContinuation { continuation in
            let ready: Outcome? = state.withLock { state in
                if state.outcome == nil { state.tasks.append(continuation) }
                return state.outcome
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Blocks the calling thread (a caller's own) until the opener finished.
    func outcomeBlocking() -> Outcome {
        let bell = Doorbell()
        var registered = false
        while true {
            let ready: Outcome? = state.withLock { state in
                if state.outcome == nil, !registered {
                    state.bells.append(bell)
                    registered = true
                }
                return state.outcome
            }
            if let ready { return ready }
            bell.wait()
        }
    }
}
