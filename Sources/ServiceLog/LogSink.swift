import Glibc

/// Where formatted log lines go: standard error, or a closure (for tests and tools).
public struct LogSink: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// A sink handing every complete line (with its trailing newline) to `writeLine`.
    public init(_ writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLine = writeLine
    }

    /// Standard error, written by a thread of its own (``StandardErrorWriter``): a reader that stops
    /// reading costs lines past 1 MiB queued, never a logging thread's progress. One thread writes,
    /// so lines from concurrent threads do not interleave.
    public static let standardError = LogSink { StandardErrorWriter.shared.enqueue($0) }

    /// Waits, at most `wait`, until the lines ``standardError`` queued are written: call it just
    /// before the process exits, or its last lines may be lost.
    public static func drainStandardError(within wait: Duration) {
        StandardErrorWriter.shared.drain(within: wait)
    }

    /// Writes `text` to standard error with write(2), retrying on EINTR and short writes (Glibc's
    /// `stderr` is a C global that Swift 6 strict concurrency does not allow touching).
    public static func writeToStandardError(_ text: String) {
        var text = text
        // A failure is not reported: standard error is where it would go.
        _ = text.withUTF8 { DescriptorOutput.writeAll(UnsafeRawBufferPointer($0), to: STDERR_FILENO) }
    }

    func write(_ line: String) { writeLine(line) }
}
