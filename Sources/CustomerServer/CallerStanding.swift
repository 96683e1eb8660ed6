import RPCServing

/// Holds a server stream to the rights its caller started with, message by message: a
/// deactivation, a narrower profile or a trust withdrawn that is acknowledged while the stream runs
/// ends it, PERMISSION_DENIED, at its next message (`IdentityInterceptor.recheck`), instead of
/// letting it deliver to its end what the caller may no longer read.
///
/// Asked before every message, so it costs one atomic load of the user directory's epoch while no
/// user or profile changes; only after a change (a new epoch) is the caller resolved again. The
/// first message always resolves it: a change may have come between the call's identity check and
/// its handler.
struct CallerStanding {
    private let identity: IdentityInterceptor
    private let started: Caller
    private let context: ServerContext
    /// The epoch the caller was last found standing in; nil before the first message.
    private var standingIn: UInt64?
    /// Messages let through, for the refusal's words.
    private var sent = 0

    init(_ identity: IdentityInterceptor, _ context: ServerContext) throws {
        self.identity = identity
        self.context = context
        started = try Caller.of(context)
    }

    /// Throws PERMISSION_DENIED "…; the stream ended after N messages" when the caller would now
    /// be refused or shown less than when the stream started; counts the message otherwise.
    mutating func checkBeforeMessage() throws {
        // Read before the users: a change committing after this load starts a newer epoch, which
        // the next message sees.
        let epoch = identity.users.epoch
        if epoch != standingIn {
            try identity.recheck(started, context, ending: "the stream ended after \(sent) messages")
            standingIn = epoch
        }
        sent += 1
    }
}
