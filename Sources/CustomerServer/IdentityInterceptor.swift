import CustomerAPI
import CustomerStore
import RPCCore
import RPCServing
import ServiceLog

/// Resolves the caller's OS uid (from `SO_PEERCRED`, never from anything the client sends)
/// to a known user, and refuses unknown or deactivated users before any handler runs.
///
/// A user flagged as a trusted service may name, in the call's metadata (`acting-for`), the
/// person it acts for: the call then runs as that person (checked against the person's profile,
/// recorded as the person with the service beside them). Anyone else naming someone is refused
/// with PERMISSION_DENIED, and the refusal is logged; a service naming more than one person in a
/// call is refused with INVALID_ARGUMENT.
///
/// The runtime's built-in services (health, server info, reflection, under `rpc.`) answer
/// anyone who can open the socket, as a liveness probe must; but the server info's activity
/// (connections, calls, per-method statistics) is shown to active users only
/// (``mayReadStatistics(_:)``), as `GetStoreStatus` is, so a local non-user cannot follow theirs.
///
/// First of all, the call's reads become its OS user's (`CustomerStore.attributeReads(to:)`), the
/// identity's own included: the readers are shared out by OS user while calls wait for one.
struct IdentityInterceptor: ServerInterceptor {
    let users: UserDirectory
    let audit: PermissionAudit

    func intercept(_ context: ServerContext) throws {
        if context.method.service.hasPrefix("rpc.") {
            return
        }
        CustomerStore.attributeReads(to: context.peer.uid)
        context.attachment = try caller(of: context)
    }

    /// Whether `peer` is an active user, who may see the server's activity in `GetServerInfo`. A
    /// store that cannot say withholds it (nothing is refused: versions and limits are still given).
    func mayReadStatistics(_ peer: PeerCredentials) -> Bool {
        CustomerStore.attributeReads(to: peer.uid)
        guard let user = try? users.user(uid: peer.uid) else { return false }
        return user.active
    }

    /// Who the call runs as now: its uid's user, or the person a trusted service names; throws the
    /// refusal when there is none (unknown, deactivated, not trusted).
    func caller(of context: ServerContext) throws -> Caller {
        let uid = context.peer.uid
        let person = context.metadata[ActingFor.metadataKey]
        // The one this thread made for the uid's last call when nothing changed since: the same
        // user, rights and epoch, so the same admission and the same check at the answer.
        if person == nil, let kept = users.keptCaller(uid: uid) {
            return kept
        }
        // Read before the users: a change committing after this load moves the epoch, which the
        // call's answer sees (`PermissionChecker.answer`).
        let epoch = users.epoch
        guard let user = try users.user(uid: uid) else {
            throw RPCError(
                .unauthenticated,
                "uid \(uid) is not a known user; an administrator can add it with: customerctl users add --uid \(uid) --name NAME"
            )
        }
        guard user.active else {
            throw RPCError(.unauthenticated, "user '\(user.name)' (uid \(uid)) is deactivated")
        }
        guard let person else {
            let caller = Caller(user: user, service: nil, epoch: epoch)
            users.keep(caller)
            return caller
        }
        let key = ActingFor.metadataKey
        guard user.trustedService else {
            throw audit.refuse(
                context, user: user.name, service: nil, detail: ErrorDetail(field: key, reason: "not a trusted service"),
                message: "user '\(user.name)' is not a trusted service, so it may not act for someone else ('\(key)' metadata); "
                    + "an administrator can allow it with: customerctl users trust \(user.name)")
        }
        // One person per call: with two entries the first counted, so a client whose metadata a
        // service forwards before adding its own chose whom the call ran as.
        let given = context.metadata.reduce(0) { $0 + ($1.key == key ? 1 : 0) }
        guard given == 1 else {
            throw RPCError(.invalidArgument, field: key, "given \(given) times; a call acts for one person: send it once")
        }
        guard let named = try users.user(name: person), named.active else {
            throw audit.refuse(
                context, code: .unauthenticated, user: person, service: user.name,
                detail: ErrorDetail(field: key, reason: "no active user has that name"),
                message: "the service '\(user.name)' acts for \(TerminalText.quoted(person)), who is not an active user")
        }
        return Caller(user: named, service: named.id == user.id ? nil : user, epoch: epoch)
    }
}
