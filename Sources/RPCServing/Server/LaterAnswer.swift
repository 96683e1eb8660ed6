import RPCCore
import Synchronization

/// A unary call's answer given after its handler returned, from whichever thread has it: a group
/// commit's leader answers the members of its group after their COMMIT, so a member's connection
/// thread goes back to its socket instead of sleeping until then (see
/// ``Router/registerUnary(_:requirement:answeringLater:)``).
///
/// Until it is given the call is in flight as if its handler still ran: it counts in its user's
/// budget of calls, its deadline and CANCEL end it (the store's admission then refuses its write),
/// and a drain or a shutdown's grace period waits for it. The answer is queued without waiting for
/// the peer (``FrameWriter/writeWithoutWaiting(_:)``). Only the first answer counts; one dropped
/// without an answer (a server bug) answers INTERNAL rather than leave the call to its deadline.
public final class LaterAnswer: Sendable {
    private let context: ServerContext
    /// Set by the first answer, or when the handler threw (its error is the answer).
    private let settled = Atomic<Bool>(false)

    init(context: ServerContext) {
        self.context = context
    }

    /// Answers OK with `response`, the message's encoded bytes.
    public func succeed(_ response: [UInt8]) {
        guard settle() else { return }
        context.connection.finishLater(context, .success(response))
    }

    /// Answers with `error`'s status, as a handler that threw it.
    public func fail(_ error: any Error) {
        guard settle() else { return }
        context.connection.finishLater(context, .failure(error))
    }

    /// The handler threw before it handed the answer on: its error answers the call.
    func withdraw() {
        _ = settle()
    }

    private func settle() -> Bool {
        !settled.exchange(true, ordering: .acquiringAndReleasing)
    }

    deinit {
        guard settle() else { return }
        context.connection.finishLater(context, .failure(RPCError(
            .internalError, "the server dropped the answer of \(context.method.fullName) (a server bug)")))
    }
}
