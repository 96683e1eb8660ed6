import Glibc
import RPCCore
import RPCTransport
import ServiceLog
import ThreadSync

/// The thread that accepts connections and starts each one's first thread.
///
/// It waits in poll(2) on the listening socket and a wake-up pipe: closing a descriptor another
/// thread is blocked on does not reliably wake it on Linux, a byte in the pipe does. At least
/// every ``socketCheckMilliseconds`` it looks at the socket's file and directory
/// (``ListeningSocket/problem()``) and logs a `critical` line when what is wrong changes.
final class AcceptLoop: Sendable {
    static let socketCheckMilliseconds: Int32 = 1_000

    private let listener: any ListeningSocket
    private let runtime: ServerRuntime
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let finished = ConditionalState(false)

    init(listener: any ListeningSocket, runtime: ServerRuntime) throws(RPCServerError) {
        var pipeEnds: [Int32] = [0, 0]
        // pipe2/accept4 are GNU extensions Glibc's Swift module does not export: set FD_CLOEXEC
        // right after; this process does not fork while starting.
        guard pipe(&pipeEnds) == 0 else {
            listener.close()
            throw RPCServerError(.systemCallFailed, "cannot create the accept loop's wake-up pipe: \(String(cString: strerror(errno)))")
        }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        self.listener = listener
        self.runtime = runtime
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        do {
            try ThreadLauncher.start { [self] in run() }
        } catch {
            listener.close()
            Glibc.close(wakeRead)
            Glibc.close(wakeWrite)
            throw RPCServerError(.systemCallFailed, "cannot start the accept thread: \(error.reason)")
        }
    }

    /// Stops accepting, waits for the thread to leave, then closes the listener (removing a socket file it created).
    func stop() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)
        finished.withCondition { _ = $0.wait(until: { $0 }) }
        listener.close()
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    private func run() {
        var descriptors = [pollfd(fd: listener.socket.fd, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        var lastCheck = ContinuousClock.now
        var reported: String?
        while true {
            do {
                _ = try syscall("poll") { poll(&descriptors, 2, Self.socketCheckMilliseconds) }
            } catch {
                runtime.logger.error("poll on the listening socket failed", [("error", error.description)])
                break
            }
            if descriptors[1].revents != 0 { break }
            if descriptors[0].revents != 0 { acceptOne() }
            if ContinuousClock.now - lastCheck >= .milliseconds(Self.socketCheckMilliseconds) {
                lastCheck = ContinuousClock.now
                reported = checkSocket(reported: reported)
            }
        }
        finished.withLock { $0 = true }
        finished.broadcast()
    }

    /// Logs what is wrong with the socket when it is not what was last reported (once per change,
    /// and once when it is right again, e.g. after `chmod go-w`).
    /// - Returns: what is wrong now.
    private func checkSocket(reported: String?) -> String? {
        let problem = listener.problem()
        guard problem != reported else { return problem }
        if let problem {
            runtime.logger.critical(problem, [("socket", listener.path)])
        } else {
            runtime.logger.notice("the socket and its directory are as the server made them again", [("socket", listener.path)])
        }
        return problem
    }

    private func acceptOne() {
        let fd: Int32
        do {
            fd = try syscall("accept") { accept(listener.socket.fd, nil, nil) }
        } catch {
            switch error.errno {
            case EAGAIN, EWOULDBLOCK, ECONNABORTED, EPROTO:
                return
            default:
                // EMFILE/ENFILE/ENOBUFS: out of resources; pause instead of spinning on a ready
                // listener, and log a line a second, not one per attempt.
                if let suppressed = runtime.acceptFailureLog.admit() {
                    runtime.logger.error("accept failed", LogRateLimiter.fields([("error", error.description)], suppressed: suppressed))
                }
                usleep(10_000)
                return
            }
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        runtime.serve(UnixSocket(fd: fd))
    }
}
