import RPC

/// The user a call runs as, resolved from the socket's peer uid before the handler runs.
struct Caller: Sendable {
    let user: StoredUser

    /// The caller the identity interceptor attached to this call.
    ///
    /// Every customer method runs behind `IdentityInterceptor`, so a missing caller means a
    /// method was registered outside it: refuse rather than act as nobody.
    static func of(_ context: ServerContext) throws -> Caller {
        guard let caller = context.attachment as? Caller else {
            throw RPCError(.unauthenticated, "the call carries no resolved user")
        }
        return caller
    }

    func requireAdministrator(for action: String) throws {
        guard user.isAdministrator else {
            throw RPCError(.permissionDenied, "\(action) needs an administrator; user '\(user.name)' is not one")
        }
    }
}
