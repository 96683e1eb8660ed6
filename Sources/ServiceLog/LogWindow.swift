/// One kind of log line's current interval: when it began, the lines let through in it, and the
/// lines held back since the last one let through. Shared by ``LogRateLimiter`` and
/// ``PerUserLogRateLimiter``, which keep it under their own locks.
struct LogWindow {
    private var start: ContinuousClock.Instant?
    private var admitted = 0
    private var suppressed = 0

    /// nil when the line is to be held back; otherwise the count held back before it. An interval
    /// begins with the first line after the last one ended, so a quiet kind logs its next line at once.
    mutating func admit(at now: ContinuousClock.Instant, interval: Duration, lines: Int) -> Int? {
        if let start, start.duration(to: now) < interval {
            guard admitted < lines else {
                suppressed += 1
                return nil
            }
            admitted += 1
            return 0
        }
        defer { self = LogWindow(start: now, admitted: 1, suppressed: 0) }
        return suppressed
    }

    /// Whether this window could be forgotten: its interval is over and it holds back no count.
    func isSpent(at now: ContinuousClock.Instant, interval: Duration) -> Bool {
        guard let start else { return true }
        return suppressed == 0 && start.duration(to: now) >= interval
    }
}
