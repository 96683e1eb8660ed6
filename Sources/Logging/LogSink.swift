import Glibc

/// Where formatted log lines go: standard error, or a closure (for tests and tools).
public struct LogSink: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// A sink handing every complete line (with its trailing newline) to `writeLine`.
    public init(_ writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLine = writeLine
    }

    /// Standard error, one `write(2)` per line: POSIX makes a single write to a pipe of at most
    /// PIPE_BUF bytes atomic, so lines from concurrent threads do not interleave.
    public static let standardError = LogSink { line in
        var line = line
        line.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(STDERR_FILENO, base + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }   // nowhere left to report a logging failure
                offset += written
            }
        }
    }

    func write(_ line: String) { writeLine(line) }
}
