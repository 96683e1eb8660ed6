import RPCCore
import ServiceLog
import ThreadSync

/// What the runtime does when a call it admitted ends: counts it and logs it if it was slow.
extension ServerRuntime {
    /// Counts the call under its status and method with its duration, gives its places in the user's
    /// budgets back (calls, server streams: ``SharedBudget``), and logs one line when a unary call
    /// took at least `slowCallThreshold` (one per `slowCallLogInterval` per OS user). A stream lasts as long
    /// as its peer keeps it (a watch for hours, an import as fast as its client sends), so its
    /// length says nothing of the server and would fill the log: it is only counted. Called once
    /// per admitted call, by whoever claimed its end.
    func callEnded(_ context: ServerContext, _ code: StatusCode) {
        let nanoseconds = MonotonicClock.elapsed(from: context.startedAt, to: MonotonicClock.nanoseconds())
        statistics.callEnded(code)
        statistics.callLeftFlight()
        context.connection.callBudget.giveBack(1)
        if context.method.kind == .serverStreaming { context.connection.serverStreamBudget.giveBack(1) }
        context.methodStatistics.record(code, nanoseconds: nanoseconds)
        if context.method.kind == .unary, let threshold = slowCallNanoseconds, nanoseconds >= threshold {
            logSlowCall(context, code: code, duration: .nanoseconds(Int64(clamping: nanoseconds)))
        }
    }

    private func logSlowCall(_ context: ServerContext, code: StatusCode, duration: Duration) {
        guard let suppressed = slowCallLog.admit(uid: context.peer.uid) else { return }
        var fields = [("method", context.method.fullName), ("uid", "\(context.peer.uid)"), ("pid", "\(context.peer.pid)")]
        if let caller = context.attachment as? any LoggableCaller { fields += caller.logFields }
        fields += [("duration_ms", Self.milliseconds(duration)), ("status", "\(code)")]
        logger.warning("slow call", LogRateLimiter.fields(fields, suppressed: suppressed))
    }

    /// "512.345": milliseconds to the microsecond, as a threshold may be given.
    static func milliseconds(_ duration: Duration) -> String {
        let microseconds = duration.saturatingCount(of: .microseconds(1))
        let fraction = String(microseconds % 1000)
        return "\(microseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

/// An interceptor's attachment that can say who the caller is in a log line (e.g. the user the
/// socket's uid maps to), for the slow-call line.
public protocol LoggableCaller: Sendable {
    /// Key-value pairs such as `("user", "alice")`.
    var logFields: [(String, String)] { get }
}
