import Dispatch
import Glibc

extension RPCServer {
    /// Starts the server if needed, blocks until SIGTERM or SIGINT (or until another thread shuts it
    /// down), shuts down gracefully and returns the process exit code: 0, or 1 if it could not start.
    public func runUntilTerminated() -> Int32 {
        if lifecycle.isIdle {
            do {
                try start()
            } catch {
                runtime.logger.critical("cannot start", [("error", "\(error)")])
                return 1
            }
        }
        // The default action of SIGTERM/SIGINT ends the process at once; ignoring them lets the
        // dispatch sources see them without a handler racing the graceful path.
        let signals = [SIGTERM, SIGINT]
        for number in signals { signal(number, SIG_IGN) }
        let stopRequested = DispatchSemaphore(value: 0)
        let sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [runtime] in
                runtime.logger.notice("received signal", [("signal", number == SIGTERM ? "SIGTERM" : "SIGINT")])
                stopRequested.signal()
            }
            source.resume()
            return source
        }
        DispatchQueue.global().async { [self] in
            waitUntilStopped()
            stopRequested.signal()
        }
        stopRequested.wait()
        shutdown()
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
        return 0
    }
}
