/// A small structured logger writing one line per event to standard error.
///
/// Line shape: `2026-11-29T02:53:06.123Z info customerd: key=value key2="v a l" message`.
/// The message and fields are autoclosures, so they are only built when the level is enabled.
public struct Logger: Sendable {
    /// The component name printed after the level, e.g. `customerd` or `rpc.server`.
    public let label: String
    /// Events below this level are dropped before their message is built.
    public var level: LogLevel
    private let sink: LogSink

    /// Creates a logger that writes to standard error.
    public init(label: String, level: LogLevel = .info) {
        self.init(label: label, level: level, sink: .standardError)
    }

    /// Creates a logger writing to `sink` (tests capture lines with ``LogSink/init(_:)``).
    public init(label: String, level: LogLevel = .info, sink: LogSink) {
        self.label = label
        self.level = level
        self.sink = sink
    }

    /// Writes one event if `level` is enabled.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String,
                    _ fields: @autoclosure () -> [(String, String)] = []) {
        guard level >= self.level else { return }
        sink.write(LogLineFormatter.format(level: level, label: label, message: message(), fields: fields()))
    }

    public func trace(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [(String, String)] = []) {
        log(.trace, message(), fields())
    }

    public func debug(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [(String, String)] = []) {
        log(.debug, message(), fields())
    }

    public func info(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [(String, String)] = []) {
        log(.info, message(), fields())
    }

    public func notice(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [(String, String)] = []) {
        log(.notice, message(), fields())
    }

    public func warning(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [(String, String)] = []) {
        log(.warning, message(), fields())
    }

    public func error(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [(String, String)] = []) {
        log(.error, message(), fields())
    }

    public func critical(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [(String, String)] = []) {
        log(.critical, message(), fields())
    }
}
