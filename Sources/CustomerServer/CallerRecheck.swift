import RPCServing

extension IdentityInterceptor {
    /// For a call that outlives many changes (a `WatchChanges`): refuses it, PERMISSION_DENIED,
    /// once the caller it started as would now be refused (deactivated, no longer a user, a service
    /// no longer trusted) or shown less (Customers: read narrowed, Financial figures withdrawn).
    /// Checked before each page is sent, so a demoted or deactivated user stops receiving data.
    /// `ending` says where the call stopped, e.g. the cursor to resume after.
    func recheck(_ started: Caller, _ context: ServerContext, ending: String) throws {
        let now: Caller
        do {
            now = try caller(of: context)
        } catch let refused as RPCError {
            throw RPCError(.permissionDenied, "\(refused.message); \(ending)", details: refused.details)
        }
        guard now.user.id == started.user.id, now.rights.readCustomers >= started.rights.readCustomers,
              now.financialFiguresVisible || !started.financialFiguresVisible else {
            throw audit.refuse(
                context, user: now.user.name, service: now.service?.name,
                detail: ErrorDetail(field: "profile", reason: "narrowed while the call ran"),
                message: "\(now.described) now, which shows less than when the call started; \(ending)")
        }
    }
}
