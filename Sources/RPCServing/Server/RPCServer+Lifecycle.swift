import RPCCore
import RPCTransport

/// Server lifecycle as a small state machine: idle, starting, running, stopping, stopped.
final class Lifecycle: @unchecked Sendable {   // `state` guarded by `lock`
    private enum State {
        case idle, starting, running(AcceptLoop), stopping, stopped
    }

    private let lock = ConditionLock()
    private var state = State.idle
    private var stopObservers: [@Sendable () -> Void] = []

    func beginStarting() throws(RPCServerError) {
        lock.lock()
        defer { lock.unlock() }
        guard case .idle = state else { throw RPCServerError(.invalidState, "the server was already started") }
        state = .starting
    }

    func started(_ acceptLoop: AcceptLoop) {
        lock.withLock { state = .running(acceptLoop) }
    }

    func failedToStart() {
        lock.withLock { state = .idle }
    }

    /// The accept loop to stop, or nil when another caller is stopping it (or it never ran).
    func beginStopping() -> AcceptLoop? {
        lock.withLock {
            switch state {
            case .running(let acceptLoop):
                state = .stopping
                return acceptLoop
            case .idle:
                state = .stopped
                lock.broadcast()
                return nil
            case .starting, .stopping, .stopped:
                return nil
            }
        }
    }

    func stopped() {
        let observers = lock.withLock {
            state = .stopped
            lock.broadcast()
            defer { stopObservers = [] }
            return stopObservers
        }
        for observer in observers { observer() }
    }

    /// Runs `observer` once the server has stopped (at once if it already has, or never started).
    func onStopped(_ observer: @escaping @Sendable () -> Void) {
        let runNow = lock.withLock {
            switch state {
            case .stopped, .idle: return true
            case .starting, .running, .stopping:
                stopObservers.append(observer)
                return false
            }
        }
        if runNow { observer() }
    }

    var isRunning: Bool {
        lock.withLock {
            if case .running = state { return true }
            return false
        }
    }

    var isIdle: Bool {
        lock.withLock {
            if case .idle = state { return true }
            return false
        }
    }

    func waitUntilStopped() {
        lock.withLock {
            while true {
                switch state {
                case .stopped, .idle: return
                case .starting, .running, .stopping: lock.wait()
                }
            }
        }
    }
}
