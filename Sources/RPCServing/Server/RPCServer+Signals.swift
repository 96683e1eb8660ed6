import Glibc
import RPCCore
import RPCTransport

extension RPCServer {
    /// Starts the server if needed, blocks until SIGTERM, SIGINT or SIGHUP (or until another thread shuts it
    /// down; SIGUSR1 and SIGUSR2 are logged and ignored), shuts down gracefully and returns the process exit code: 0, or 1 if it could not start
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
            runtime.logger.critical("cannot install the SIGTERM/SIGINT/SIGHUP handlers", [("error", error.description)])
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
        while TerminationSignals.ignored.contains(received) {
            runtime.logger.notice("received signal, ignored: customerd has nothing to reload or reopen (SIGTERM, SIGINT or SIGHUP stop it)",
                                  [("signal", TerminationSignals.name(of: received))])
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
