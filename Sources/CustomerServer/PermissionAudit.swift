import ServiceLog
import RPCServing

/// Where refusals are logged, so an administrator can see who was refused what (notice level:
/// a refusal is the service working as meant, but one worth a line).
struct PermissionAudit: Sendable {
    let logger: Logger
    /// A refused call is as cheap to send as any: each OS user's refusals get a few lines a minute
    /// (``CustomerServerConfiguration/refusalLogLimit``), so one caller in a loop cannot fill the
    /// disk or the journal, nor crowd out the other users' lines.
    private let lines: PerUserLogRateLimiter

    init(logger: Logger, limit: PerUserLogLimit) {
        self.logger = logger
        lines = PerUserLogRateLimiter(limit)
    }

    /// Logs a refusal (unless its OS user's lines are used up: then it is counted for the user's
    /// next line) and returns the error to answer it with.
    /// - Parameter detail: machine-readable: field `right` with the missing right's name (as in
    ///   `Rights`), or the metadata key that was refused.
    func refuse(_ context: ServerContext, code: StatusCode = .permissionDenied, user: String, service: String?,
                detail: ErrorDetail, message: String) -> RPCError {
        if let suppressed = lines.admit(uid: context.peer.uid) {
            var fields = [("method", context.method.fullName), ("user", user), (detail.field, detail.reason)]
            if let service { fields.append(("service", service)) }
            fields.append(("uid", "\(context.peer.uid)"))
            logger.notice("permission denied", LogRateLimiter.fields(fields, suppressed: suppressed))
        }
        return RPCError(code, message, details: [detail])
    }

    /// The answer to a call its requirement refused.
    func refuse(_ context: ServerContext, _ caller: Caller, _ denied: PermissionDenied) -> RPCError {
        refuse(context, user: caller.user.name, service: caller.service?.name,
               detail: ErrorDetail(field: "right", reason: denied.right.rawValue), message: denied.message)
    }
}
