import Glibc
import RPCCore
import RPCTransport
import Synchronization

/// Waits for the signals that stop customerd (SIGTERM, SIGINT, SIGHUP, SIGPWR, SIGXCPU) and notes those
/// it ignores (SIGUSR1, SIGUSR2, the timers', SIGIO, SIGSTKFLT, the real-time signals) with the self-pipe trick: a C signal handler writes the signal number
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
    /// for SIGTERM. SIGPIPE and SIGXFSZ are ignored (`RPCServer.start`).
    ///
    /// SIGPWR and SIGXCPU (redteam31), whose default, too, ended customerd at once. Init systems send
    /// SIGPWR to process 1 alone (systemd starts `sigpwr.target`, sysvinit reads /etc/powerstatus) and
    /// UPS daemons (NUT's upsmon, apcupsd) run a shutdown, which stops services with SIGTERM: one that
    /// reaches customerd was sent to it on purpose, saying the power is failing, so it stops cleanly
    /// while there is power. The kernel sends SIGXCPU once the soft CPU-time limit an operator set
    /// (`ulimit -t`, `LimitCPU=`) is used up, and SIGKILL at the hard one: a clean stop is what the
    /// limit asks for, without the core dump of the default.
    static let stopping = [SIGTERM, SIGINT, SIGHUP, SIGPWR, SIGXCPU]
    /// SIGUSR1 and SIGUSR2 (redteam30): their default action, too, ended customerd at once, and they
    /// are what a log rotation's `postrotate` hook or an operator's habit sends a daemon to reopen
    /// its logs or dump its state. customerd logs to standard error and has nothing to reopen, so
    /// they are logged and otherwise ignored: the server goes on serving.
    ///
    /// So are (redteam31) the other signals whose default ends a process and that mean nothing to
    /// customerd, which sets no timer, asks for no I/O signal and uses no real-time signal: SIGALRM,
    /// SIGVTALRM and SIGPROF (a stray `kill -ALRM`, `timeout -s ALRM`), SIGIO (SIGPOLL), SIGSTKFLT
    /// (unused by Linux) and the real-time signals a program may send, from SIGRTMIN to SIGRTMAX as
    /// glibc gives them (it keeps the kernel's first ones, 32 and 33, for its threads; SIGRTMIN is 34
    /// here). Before, each ended customerd as SIGKILL would (exit 142, 154, …). Besides these, SIGQUIT
    /// keeps its core dump (what an operator's Ctrl-\ asks for) and the faults (SIGSEGV, SIGBUS, …)
    /// theirs. One of these whose action is not the default when customerd starts (a profiler's
    /// SIGPROF handler, preloaded; SIG_IGN inherited from the parent) is left as it is.
    static let ignored = [SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGSTKFLT] + realTime
    static let watched = stopping + ignored
    /// SIGRTMIN...SIGRTMAX, which C gives as calls (glibc's, as it reserves some), not constants.
    static let realTime = Array(__libc_current_sigrtmin()...__libc_current_sigrtmax())

    /// The signal's name for a log line (a real-time one as `kill -l` names it: SIGRTMIN+2).
    static func name(of signal: Int32) -> String {
        switch signal {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        case SIGPWR: "SIGPWR"
        case SIGXCPU: "SIGXCPU"
        case SIGUSR1: "SIGUSR1"
        case SIGUSR2: "SIGUSR2"
        case SIGALRM: "SIGALRM"
        case SIGVTALRM: "SIGVTALRM"
        case SIGPROF: "SIGPROF"
        case SIGIO: "SIGIO"
        case SIGSTKFLT: "SIGSTKFLT"
        case let number where realTime.contains(number):
            number == realTime[0] ? "SIGRTMIN" : "SIGRTMIN+\(number - realTime[0])"
        default: "signal \(signal)"
        }
    }

    /// The pipe the handler writes to. Set before the handlers are installed and reset after they
    /// are removed; the handler only reads it (a C handler cannot capture context).
    nonisolated(unsafe) private static var handlerWriteFD: Int32 = -1
    /// The stopping signal received, 0 before one: set by the handler besides its byte, so a stop is
    /// never lost behind a pipe that a flood of ignored signals filled. Real-time signals queue
    /// instead of merging: with them ignored and no such note (redteam31, a first version), 200 000
    /// sent by the server's user filled the 64 KiB pipe, the SIGTERM after them lost its byte and
    /// customerd served on (1 run of 2, and `kill` by hand). A word the handler stores and the waiting
    /// thread loads, as C's `volatile sig_atomic_t`: an aligned Int32 is written whole.
    nonisolated(unsafe) private static var stopReceived: Int32 = 0

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
        Self.stopReceived = 0
        var previous: [Int32: sigaction] = [:]
        var installed: [Int32] = []
        for number in Self.watched {
            var current = sigaction()
            sigaction(number, nil, &current)
            // SIG_DFL is the null handler; anything else was set on purpose by someone before us.
            if Self.ignored.contains(number) && current.__sigaction_handler.sa_handler != nil { continue }
            var action = sigaction()
            // Two handlers rather than a lookup in the handler: nothing but a store and write(2) there.
            if Self.stopping.contains(number) {
                action.__sigaction_handler.sa_handler = { signal in
                    TerminationSignals.stopReceived = signal
                    var byte = UInt8(truncatingIfNeeded: signal)
                    _ = write(TerminationSignals.handlerWriteFD, &byte, 1)
                }
            } else {
                action.__sigaction_handler.sa_handler = { signal in
                    var byte = UInt8(truncatingIfNeeded: signal)
                    _ = write(TerminationSignals.handlerWriteFD, &byte, 1)
                }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            sigaction(number, &action, &old)
            previous[number] = old
            installed.append(number)
        }
        // A process started by a thread that blocks signals (Foundation's Process spawns from such
        // threads) inherits that mask, and a blocked SIGTERM would stay pending forever: unblock
        // the watched signals in this thread, the one that waits, so the handler can run here.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in installed { sigaddset(&unblock, number) }
        var previousMask = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previousMask)
        self.previous = previous
        self.previousMask = previousMask
    }

    /// Blocks until a signal arrives (its number) or ``wake()`` is called (0). A stopping signal
    /// received is returned before the ignored ones still queued in the pipe.
    func wait() -> Int32 {
        var byte: UInt8 = 0
        while true {
            let count = read(readFD, &byte, 1)
            if count == 1 { return Self.stopReceived != 0 ? Self.stopReceived : Int32(byte) }
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
            Self.stopReceived = 0
            close(readFD)
            close(writeFD)
        }
    }
}
