import CustomerStore
import RPCServing

/// The one place store failures become wire statuses; causes that say nothing useful to a
/// caller (SQLite internals) stay in the server's log.
extension StoreError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .notFound(let reason, let field):
            return RPCError(.notFound, field: field, reason)
        case .merged(let message, let survivor):
            return RPCError(.notFound, message, details: [ErrorDetail(field: "mergedInto", reason: String(survivor))])
        case .alreadyExists(let reason, let field):
            return RPCError(.alreadyExists, field: field, reason)
        case .invalidArgument(let violations):
            // The violations are the message: every record family (not only customers) says
            // which field is wrong and why, once; the details carry the same for programs.
            return RPCError(.invalidArgument, refusing: violations.map { ErrorDetail(field: $0.field, reason: $0.reason) })
        case .aborted(let reason, let field):
            return RPCError(.aborted, field: field, reason)
        case .failedPrecondition(let reason, let field):
            return RPCError(.failedPrecondition, field: field, reason)
        case .brokenRule(let rule, _):
            // No request field to name: the schema caught what the store's checks missed, so the
            // operator is told too (the cause, with its SQL, is logged under the message's ref).
            return RPCError(.failedPrecondition, "the write breaks a rule of the records (\(rule)); nothing was written",
                            cause: self)
        case .unavailable(let message):
            return RPCError(.unavailable, message)
        case .resourceExhausted(let message):
            return RPCError(.resourceExhausted, message)
        case .dataLoss(let message):
            return RPCError(.dataLoss, message)
        case .cutShort(let message, let cause):
            // The SQLite error (its SQL) goes to the log under the message's ref, once.
            return RPCError(.dataLoss, message, cause: cause)
        case .closed:
            return RPCError(.unavailable, "the server is shutting down")
        case .cancelled:
            // Only a call that was already answered (its deadline's DEADLINE_EXCEEDED) or given
            // up (CANCELLED, its connection gone) has its reads interrupted: this is never sent.
            return RPCError(.cancelled, "the call ended before its read did")
        case .writeWithoutAdmission:
            // A handler that forgot `answering(context)`: loud at its first write, in its first test.
            // The write is named in the store's (Swift) words: the log has it with the cause.
            return RPCError(.internalError, "the server made a write without its call's admission (a server bug); "
                            + "nothing was written", cause: self)
        case .authorDeactivated:
            // Checked again on the writer (`AuthorStanding`): the call passed the identity check
            // at its start, and a deactivation committed while its write waited.
            return RPCError(.unauthenticated, description)
        case .authorRightsChanged:
            // As above, for a new profile or changed rights: retrying is checked anew at its start.
            return RPCError(.aborted, description)
        case .schemaTooNew, .notADatabase, .sqlite, .io, .unusable:
            // The SQLite or file-system detail stays in the server's log (the cause is never sent).
            return RPCError(.internalError, "the store failed; the server log has the cause", cause: self)
        }
    }
}
