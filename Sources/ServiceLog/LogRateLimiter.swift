import Synchronization

/// Lets a few log lines of a kind through per interval and counts the ones held back, so a flood of
/// one event (connections refused at a limit, `accept` failing at the descriptor limit) costs the
/// log a line a second instead of one per event; the next line says how many were left out.
public final class LogRateLimiter: Sendable {
    private let interval: Duration
    private let lines: Int
    private let window = Mutex(LogWindow())

    /// - Parameter lines: let through in each interval, counted from the first line of the interval.
    public init(interval: Duration = .seconds(1), lines: Int = 1) {
        self.interval = interval
        self.lines = lines
    }

    /// nil when this line is to be held back; otherwise how many were held back since the last
    /// line let through (log it as `suppressed=N` when not 0).
    public func admit(at now: ContinuousClock.Instant = .now) -> Int? {
        window.withLock { $0.admit(at: now, interval: interval, lines: lines) }
    }

    /// `fields` with `suppressed=N` added when lines were held back.
    public static func fields(_ fields: [(String, String)], suppressed: Int) -> [(String, String)] {
        suppressed == 0 ? fields : fields + [("suppressed", "\(suppressed)")]
    }
}
