/// How many lines of one kind each OS user's calls may make the server write per interval
/// (``PerUserLogRateLimiter``): a configuration value, so each kind's limit can be set and tested.
public struct PerUserLogLimit: Sendable, Hashable {
    public var lines: Int
    public var interval: Duration

    public init(lines: Int, interval: Duration) {
        self.lines = lines
        self.interval = interval
    }
}
