import RPCCore
import RPCTransport

/// A call's deadline, counted from its start, and the error it ends with when it passes.
struct CallTiming: Sendable {
    let deadline: ContinuousClock.Instant?
    private let method: MethodDescriptor
    private let timeout: Duration?

    /// Checks the options first: invalid metadata, or a timeout already over, end the call here.
    init(_ method: MethodDescriptor, _ options: CallOptions) throws(RPCError) {
        try options.metadata.validate()
        self.method = method
        timeout = options.timeout
        deadline = options.timeout.map { ContinuousClock.now + $0 }
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
        guard let deadline else { return 0 }
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else {
            connection.releaseCallSlot()
            throw expired
        }
        return ClientChannel.microseconds(remaining)
    }
}
