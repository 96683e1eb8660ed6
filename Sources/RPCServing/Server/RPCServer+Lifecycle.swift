import RPCCore
import RPCTransport
import ThreadSync

/// Server lifecycle as a small state machine: idle, starting, running, stopping, stopped.
final class Lifecycle: Sendable {
    private enum Phase {
        case idle, starting, running(AcceptLoop), stopping, stopped
    }

    private struct State {
        var phase = Phase.idle
        var stopObservers: [@Sendable () -> Void] = []
    }

    private let state = ConditionalState(State())

    func beginStarting() throws(RPCServerError) {
        let wasIdle = state.withLock { state in
            guard case .idle = state.phase else { return false }
            state.phase = .starting
            return true
        }
        guard wasIdle else { throw RPCServerError(.invalidState, "the server was already started") }
    }

    func started(_ acceptLoop: AcceptLoop) {
        state.withLock { $0.phase = .running(acceptLoop) }
    }

    func failedToStart() {
        state.withLock { $0.phase = .idle }
    }

    /// The accept loop to stop, or nil when another caller is stopping it (or it never ran).
    func beginStopping() -> AcceptLoop? {
        state.withCondition { held in
            switch held.state.phase {
            case .running(let acceptLoop):
                held.state.phase = .stopping
                return acceptLoop
            case .idle:
                held.state.phase = .stopped
                held.broadcast()
                return nil
            case .starting, .stopping, .stopped:
                return nil
            }
        }
    }

    func stopped() {
        let observers = state.withCondition { held in
            held.state.phase = .stopped
            held.broadcast()
            defer { held.state.stopObservers = [] }
            return held.state.stopObservers
        }
        for observer in observers { observer() }
    }

    /// Runs `observer` once the server has stopped (at once if it already has, or never started).
    func onStopped(_ observer: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            switch state.phase {
            case .stopped, .idle: return true
            case .starting, .running, .stopping:
                state.stopObservers.append(observer)
                return false
            }
        }
        if runNow { observer() }
    }

    var isRunning: Bool {
        state.withLock {
            if case .running = $0.phase { return true }
            return false
        }
    }

    var isIdle: Bool {
        state.withLock {
            if case .idle = $0.phase { return true }
            return false
        }
    }

    func waitUntilStopped() {
        state.withCondition { held in
            _ = held.wait(until: { state in
                switch state.phase {
                case .stopped, .idle: return true
                case .starting, .running, .stopping: return false
                }
            })
        }
    }
}
