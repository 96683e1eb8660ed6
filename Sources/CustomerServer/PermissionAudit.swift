import ServiceLog
import RPCServing

/// Where refusals are logged, so an administrator can see who was refused what (notice level:
/// a refusal is the service working as meant, but one worth a line).
struct PermissionAudit: Sendable {
    let logger: Logger

    /// Logs a refusal and returns the error to answer it with.
    /// - Parameter detail: machine-readable: field `right` with the missing right's name (as in
    ///   `Rights`), or the metadata key that was refused.
    func refuse(_ context: ServerContext, code: StatusCode = .permissionDenied, user: String, service: String?,
                detail: ErrorDetail, message: String) -> RPCError {
        var fields = [("method", context.method.fullName), ("user", user), (detail.field, detail.reason)]
        if let service { fields.append(("service", service)) }
        logger.notice("permission denied", fields)
        return RPCError(code, message, details: [detail])
    }

    /// The answer to a call its requirement refused.
    func refuse(_ context: ServerContext, _ caller: Caller, _ denied: PermissionDenied) -> RPCError {
        refuse(context, user: caller.user.name, service: caller.service?.name,
               detail: ErrorDetail(field: "right", reason: denied.right.rawValue), message: denied.message)
    }
}
