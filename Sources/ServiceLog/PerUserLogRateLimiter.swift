import Synchronization

/// ``LogRateLimiter`` with a window per OS user (peer uid), for lines any signed-in caller can make
/// the server write at will (a refused call): one user's flood costs the log at most `lines` lines
/// per interval, and leaves every other user's lines as they were.
public final class PerUserLogRateLimiter: Sendable {
    /// Past this many users' windows, those that are over and hold back nothing are forgotten, so
    /// the map stays as small as the users who made such lines lately (each one's next line is let
    /// through at once either way).
    static let pruneAbove = 1_024

    private let interval: Duration
    private let lines: Int
    private let windows = Mutex([UInt32: LogWindow]())

    public init(interval: Duration, lines: Int) {
        self.interval = interval
        self.lines = lines
    }

    public convenience init(_ limit: PerUserLogLimit) {
        self.init(interval: limit.interval, lines: limit.lines)
    }

    /// As ``LogRateLimiter/admit(at:)``, for `uid`'s lines alone.
    public func admit(uid: UInt32, at now: ContinuousClock.Instant = .now) -> Int? {
        windows.withLock { windows in
            if windows.count > Self.pruneAbove, windows[uid] == nil {
                windows = windows.filter { !$0.value.isSpent(at: now, interval: interval) }
            }
            return windows[uid, default: LogWindow()].admit(at: now, interval: interval, lines: lines)
        }
    }

    /// The users whose windows are kept, for tests.
    var trackedUsers: Int { windows.withLock { $0.count } }
}
