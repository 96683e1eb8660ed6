import CustomerStore
import RPCServing

/// The one place store failures become wire statuses; causes that say nothing useful to a
/// caller (SQLite internals) stay in the server's log.
extension StoreError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .notFound(let message):
            return RPCError(.notFound, message)
        case .merged(let message, let survivor):
            return RPCError(.notFound, message, details: [ErrorDetail(field: "mergedInto", reason: String(survivor))])
        case .alreadyExists(let message, let field):
            return RPCError(.alreadyExists, message, details: [ErrorDetail(field: field, reason: "already exists")])
        case .invalidArgument(let violations):
            // The violations are the message: every record family (not only customers) says
            // which field is wrong and why, once; the details carry the same for programs.
            return RPCError(.invalidArgument, refusing: violations.map { ErrorDetail(field: $0.field, reason: $0.reason) })
        case .aborted(let message):
            return RPCError(.aborted, message)
        case .failedPrecondition(let message):
            return RPCError(.failedPrecondition, message)
        case .unavailable(let message):
            return RPCError(.unavailable, message)
        case .resourceExhausted(let message):
            return RPCError(.resourceExhausted, message)
        case .dataLoss(let message):
            return RPCError(.dataLoss, message)
        case .closed:
            return RPCError(.unavailable, "the server is shutting down")
        case .cancelled:
            // Only a call that was already answered (its deadline's DEADLINE_EXCEEDED) or given
            // up (CANCELLED, its connection gone) has its reads interrupted: this is never sent.
            return RPCError(.cancelled, "the call ended before its read did")
        case .writeWithoutAdmission(let write):
            // A handler that forgot `answering(context)`: loud at its first write, in its first test.
            return RPCError(.internalError, "the server made the write \(write) without its call's admission "
                            + "(a server bug); nothing was written", cause: self)
        case .schemaTooNew, .notADatabase, .sqlite, .io:
            // The SQLite or file-system detail stays in the server's log (the cause is never sent).
            return RPCError(.internalError, "the store failed; the server log has the cause", cause: self)
        }
    }
}
