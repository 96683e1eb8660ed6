/// How important a log event is, from the most verbose (`trace`) to the most severe (`critical`).
///
/// The raw values order the levels, so `level >= logger.level` decides whether an event is written.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    /// Parses a level by its name as printed in log lines (`"info"`, `"warning"`, ...), case-insensitively.
    public init?(name: String) {
        guard let level = LogLevel.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = level
    }

    /// The lower-case name printed in every log line.
    public var name: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
