import ServiceLog
import Synchronization

/// The log lines of a server under test, kept for assertions instead of cluttering the output.
public final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    private let label: String
    private let level: LogLevel

    public init(label: String = "test", level: LogLevel = .info) {
        self.label = label
        self.level = level
    }

    /// A sink that appends here, for a logger the test builds itself.
    public var sink: LogSink { LogSink { [self] line in lines.withLock { $0.append(line) } } }

    /// A logger at `level` that writes here.
    public var logger: Logger { Logger(label: label, level: level, sink: sink) }

    public var all: [String] { lines.withLock { $0 } }
}
