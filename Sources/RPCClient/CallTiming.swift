import RPCCore
import RPCTransport
import ThreadSync

/// A call's deadline, counted from its start, and the error it ends with when it passes.
/// The deadline is ``MonotonicClock`` nanoseconds (``DeadlineWatch``): `ContinuousClock.now` cost
/// a call with a deadline ~700 instructions in its two reads (callgrind, docs/performance/HISTORY.md "deadline33").
struct CallTiming: Sendable {
    let deadline: UInt64?
    private let method: MethodDescriptor
    private let timeout: Duration?

    /// Checks the options first: invalid metadata, or a timeout already over, end the call here.
    init(_ method: MethodDescriptor, _ options: CallOptions) throws(RPCError) {
        try options.metadata.validate()
        self.method = method
        timeout = options.timeout
        deadline = options.timeout.map { DeadlineWatch.deadline(after: $0.saturatingCount(of: .nanoseconds(1)),
                                                                from: MonotonicClock.nanoseconds()) }
        if let timeout = options.timeout, timeout <= .zero { throw expired }
    }

    /// The error of a call whose deadline passed. Built only then: formatting the method name and
    /// the duration cost more than the rest of starting a call.
    var expired: RPCError {
        RPCError(.deadlineExceeded, "\(method.fullName) did not answer within \(timeout ?? .zero)")
    }

    /// What remains of the timeout for the server (0: none); past the deadline, gives the
    /// call slot back and throws.
    func remainingMicroseconds(releasingSlotOf connection: ClientConnection) throws(RPCError) -> UInt64 {
        guard let remaining = remaining() else { return 0 }
        guard remaining > 0 else {
            connection.releaseCallSlot()
            throw expired
        }
        // Rounded up, so a timeout never reaches the server as "none" (0).
        return remaining / 1000 + (remaining % 1000 == 0 ? 0 : 1)
    }

    /// Nanoseconds left before the deadline (0 once past it); nil without one.
    func remaining() -> UInt64? {
        deadline.map { MonotonicClock.elapsed(from: MonotonicClock.nanoseconds(), to: $0) }
    }
}
