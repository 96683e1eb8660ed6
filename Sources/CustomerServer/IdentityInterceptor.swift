import RPC

/// Resolves the caller's OS uid (from `SO_PEERCRED`, never from anything the client sends)
/// to a known user, and refuses unknown or deactivated users before any handler runs.
///
/// The runtime's built-in services (health, server info, reflection, under `rpc.`) answer
/// anyone who can open the socket, as a liveness probe must.
struct IdentityInterceptor: ServerInterceptor {
    let users: UserDirectory

    func intercept(_ context: ServerContext) throws {
        if context.method.service.hasPrefix("rpc.") {
            return
        }
        let uid = context.peer.uid
        guard let user = try users.user(uid: uid) else {
            throw RPCError(
                .unauthenticated,
                "uid \(uid) is not a known user; an administrator can add it with: customerctl users add --uid \(uid) --name NAME"
            )
        }
        guard user.active else {
            throw RPCError(.unauthenticated, "user '\(user.name)' (uid \(uid)) is deactivated")
        }
        context.attachment = Caller(user: user)
    }
}
