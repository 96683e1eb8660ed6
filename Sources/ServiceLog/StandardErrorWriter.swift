import Dispatch
import Foundation
import Glibc
import Synchronization

/// Standard error written by a thread of its own, so that no thread that logs waits for whoever
/// reads it.
///
/// A write to a pipe that is full, or to a terminal stopped by Ctrl-S, blocks until the reader
/// takes some. customerd wrote each log line from the thread that logged it: with its stderr piped
/// into a program that stopped reading (a pager left open, a log shipper that hung) or its
/// terminal stopped, the first thread to log after 64 KiB blocked there, the accept loop and every
/// call thread after it, and the server stopped answering (redteam29). Lines now queue here, up to
/// 1 MiB; past that they are dropped and counted, and the next line written says how
/// many were lost, so a stuck reader costs log lines, not service.
package final class StandardErrorWriter: Sendable {
    /// Bytes of lines held for a reader that is behind: about 5 000 lines; a reader that is merely
    /// slow (a terminal scrolling) loses nothing.
    static let standardLimit = 1_048_576

    static let shared = StandardErrorWriter(limit: standardLimit, write: LogSink.writeToStandardError)

    private let limit: Int
    private let write: @Sendable (String) -> Void

    private struct State {
        var lines: [String] = []
        var bytes = 0
        var dropped = 0
        /// The thread holds lines it took and has not written yet.
        var writing = false
        var threadStarted = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    /// `write` gets each batch of lines on the writer's thread (tests: one that blocks, as a reader
    /// that stopped reading); lines past `limit` bytes queued are dropped and counted.
    package init(limit: Int, write: @escaping @Sendable (String) -> Void) {
        self.limit = limit
        self.write = write
    }

    /// Queues `line` (a whole line with its newline) for standard error; never waits for the reader.
    package func enqueue(_ line: String) {
        let (startThread, signal) = state.withLock { state -> (Bool, Bool) in
            let starting = !state.threadStarted
            state.threadStarted = true
            guard state.bytes + line.utf8.count <= limit else {
                state.dropped += 1
                return (starting, false)
            }
            let wasIdle = state.lines.isEmpty && !state.writing
            state.lines.append(line)
            state.bytes += line.utf8.count
            return (starting, wasIdle)
        }
        if startThread { start() }
        if signal { wake.signal() }
    }

    /// Waits until every queued line was written, for at most `wait`: before the process exits, so
    /// its last lines (stopped, failed to start) are not lost, without hanging on a reader that is
    /// gone. Polls: called once, at exit.
    package func drain(within wait: Duration) {
        let giveUp = ContinuousClock.now + wait
        while state.withLock({ !$0.lines.isEmpty || $0.writing }), ContinuousClock.now < giveUp {
            usleep(5_000)
        }
    }

    private func start() {
        let thread = Thread { [self] in
            while true {
                wake.wait()
                while let batch = take() {
                    write(batch)
                }
            }
        }
        thread.name = "stderr writer"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Every queued line as one text, followed by a line counting the ones dropped after them; nil
    /// (and idle) when none is queued.
    private func take() -> String? {
        let (lines, dropped) = state.withLock { state -> ([String], Int) in
            guard !state.lines.isEmpty else {
                state.writing = false
                return ([], 0)
            }
            defer {
                state.lines = []
                state.bytes = 0
                state.dropped = 0
            }
            state.writing = true
            return (state.lines, state.dropped)
        }
        guard !lines.isEmpty else { return nil }
        guard dropped > 0 else { return lines.joined() }
        let notice = LogLineFormatter.format(
            level: .warning, label: "log",
            message: "\(dropped) log lines were dropped: standard error was not read while \(limit) bytes of lines waited",
            fields: [("dropped", "\(dropped)")])
        return lines.joined() + notice
    }
}
