import Synchronization

/// Lets one log line of a kind through per interval and counts the ones held back, so a flood of
/// one event (connections refused at a limit, `accept` failing at the descriptor limit) costs the
/// log a line a second instead of one per event; the next line says how many were left out.
final class LogRateLimiter: Sendable {
    private struct State {
        var lastLogged: ContinuousClock.Instant?
        var suppressed = 0
    }

    private let interval: Duration
    private let state = Mutex(State())

    init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    /// nil when this line is to be held back; otherwise how many were held back since the last
    /// line let through (log it as `suppressed=N` when not 0).
    func admit(at now: ContinuousClock.Instant = .now) -> Int? {
        state.withLock { state in
            if let last = state.lastLogged, last.duration(to: now) < interval {
                state.suppressed += 1
                return nil
            }
            defer { state = State(lastLogged: now, suppressed: 0) }
            return state.suppressed
        }
    }

    /// `fields` with `suppressed=N` added when lines were held back.
    static func fields(_ fields: [(String, String)], suppressed: Int) -> [(String, String)] {
        suppressed == 0 ? fields : fields + [("suppressed", "\(suppressed)")]
    }
}
