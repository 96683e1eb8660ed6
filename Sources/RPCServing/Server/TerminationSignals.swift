import Glibc
import RPCCore
import RPCTransport
import Synchronization

/// Waits for SIGTERM, SIGINT or SIGHUP (and notes SIGUSR1 and SIGUSR2) with the self-pipe trick: a C signal handler writes the signal number
/// to a non-blocking pipe (write(2) is async-signal-safe), a thread blocks reading it.
///
/// Unlike a dispatch signal source (registered asynchronously, with the signal ignored meanwhile),
/// the handlers are in place when `init` returns, so no signal is lost, and unlike sigwait(2) it does
/// not require the signals to be blocked in every thread of the process: it only needs one thread
/// that does not block them, which `init` makes sure of for the calling thread.
final class TerminationSignals: Sendable {
    /// SIGHUP too (redteam18): its default action ended the process at once, calls cut without a
    /// STATUS and the socket file left behind, when the terminal customerd ran in was closed or an
    /// operator sent it out of habit ("reload"); customerd has nothing to reload, so it stops as
    /// for SIGTERM. SIGPIPE is ignored (`RPCServer.start`); other signals keep their default.
    static let stopping = [SIGTERM, SIGINT, SIGHUP]
    /// SIGUSR1 and SIGUSR2 (redteam30): their default action, too, ended customerd at once, and they
    /// are what a log rotation's `postrotate` hook or an operator's habit sends a daemon to reopen
    /// its logs or dump its state. customerd logs to standard error and has nothing to reopen, so
    /// they are logged and otherwise ignored: the server goes on serving.
    static let ignored = [SIGUSR1, SIGUSR2]
    static let watched = stopping + ignored

    /// The signal's name for a log line.
    static func name(of signal: Int32) -> String {
        switch signal {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        case SIGUSR1: "SIGUSR1"
        case SIGUSR2: "SIGUSR2"
        default: "signal \(signal)"
        }
    }

    /// The pipe the handler writes to. Set before the handlers are installed and reset after they
    /// are removed; the handler only reads it (a C handler cannot capture context).
    nonisolated(unsafe) private static var handlerWriteFD: Int32 = -1

    private let readFD: Int32
    private let writeFD: Int32
    /// Held while writing to or closing the pipe, so a wake never writes to a closed (or reused) descriptor.
    private let isClosed = Mutex(false)
    private let previous: [Int32: sigaction]
    private let previousMask: sigset_t

    /// Installs the handlers; only one instance may exist at a time.
    init() throws(IOError) {
        var ends: [Int32] = [0, 0]
        _ = try syscall("pipe") { pipe(&ends) }
        readFD = ends[0]
        writeFD = ends[1]
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // A full pipe must make the handler's write fail, never block inside a signal handler.
        _ = fcntl(writeFD, F_SETFL, fcntl(writeFD, F_GETFL) | O_NONBLOCK)
        Self.handlerWriteFD = writeFD
        var previous: [Int32: sigaction] = [:]
        for number in Self.watched {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                var byte = UInt8(truncatingIfNeeded: signal)
                _ = write(TerminationSignals.handlerWriteFD, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            sigaction(number, &action, &old)
            previous[number] = old
        }
        // A process started by a thread that blocks signals (Foundation's Process spawns from such
        // threads) inherits that mask, and a blocked SIGTERM would stay pending forever: unblock
        // the watched signals in this thread, the one that waits, so the handler can run here.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in Self.watched { sigaddset(&unblock, number) }
        var previousMask = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previousMask)
        self.previous = previous
        self.previousMask = previousMask
    }

    /// Blocks until a signal arrives (its number) or ``wake()`` is called (0).
    func wait() -> Int32 {
        var byte: UInt8 = 0
        while true {
            let count = read(readFD, &byte, 1)
            if count == 1 { return Int32(byte) }
            if count < 0 && errno == EINTR { continue }
            return 0
        }
    }

    /// Makes ``wait()`` return 0 (the server stopped for another reason); harmless after ``restore()``.
    func wake() {
        isClosed.withLock { isClosed in
            guard !isClosed else { return }
            var byte: UInt8 = 0
            _ = write(writeFD, &byte, 1)
        }
    }

    /// Puts the previous signal actions and mask back (call it on the thread that created this)
    /// and releases the pipe.
    func restore() {
        var previousMask = previousMask
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        for (number, old) in previous {
            var old = old
            sigaction(number, &old, nil)
        }
        isClosed.withLock { isClosed in
            isClosed = true
            Self.handlerWriteFD = -1
            close(readFD)
            close(writeFD)
        }
    }
}
