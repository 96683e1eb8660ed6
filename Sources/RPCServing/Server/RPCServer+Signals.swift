import Glibc
import RPCCore
import RPCTransport
import ServiceLog

extension RPCServer {
    /// Starts the server if needed, blocks until SIGTERM, SIGINT, SIGHUP, SIGPWR or SIGXCPU (or until another thread shuts it
    /// down; SIGUSR1, SIGUSR2 and the other signals `TerminationSignals.ignored` lists are logged and ignored), shuts down gracefully and returns the process exit code: 0, or 1 if it could not start
    /// or could not install its signal handlers.
    ///
    /// `whenReady` runs once the server accepts calls and a SIGTERM would be handled (so a service
    /// manager told "ready" there can stop it at once); `whenStopping` runs before the shutdown,
    /// with the signal received or nil when the server was stopped from within.
    public func runUntilTerminated(whenReady: () -> Void = {}, whenStopping: (_ signal: Int32?) -> Void = { _ in }) -> Int32 {
        let signals: TerminationSignals
        do {
            signals = try TerminationSignals()
        } catch {
            runtime.logger.critical("cannot install the signal handlers (SIGTERM and the others)", [("error", error.description)])
            return 1
        }
        defer { signals.restore() }
        if lifecycle.isIdle {
            do {
                try start()
            } catch {
                runtime.logger.critical("cannot start", [("error", "\(error)")])
                return 1
            }
        }
        lifecycle.onStopped { signals.wake() }
        whenReady()
        var received = signals.wait()
        // A few lines a second, the rest counted: a loop of `kill` by the server's own user wrote
        // 58 429 lines in 3 s (redteam31; HARDENING.md).
        let ignoredLog = LogRateLimiter(interval: .seconds(1), lines: 4)
        while TerminationSignals.ignored.contains(received) {
            if let suppressed = ignoredLog.admit() {
                runtime.logger.notice("received signal, ignored: customerd sets no timer and has nothing to reload or reopen (SIGTERM, SIGINT, SIGHUP or SIGPWR stop it)",
                                      LogRateLimiter.fields([("signal", TerminationSignals.name(of: received))], suppressed: suppressed))
            }
            received = signals.wait()
        }
        if received != 0 {
            runtime.logger.notice("received signal, shutting down", [("signal", TerminationSignals.name(of: received))])
        }
        whenStopping(received == 0 ? nil : received)
        shutdown()
        return 0
    }
}
