import RPCServing
import Synchronization

/// Holds a streaming call to what its caller may do, message by message: a deactivation, a
/// narrower profile or a trust withdrawn that is acknowledged while the stream runs ends the call
/// at its next message with the refusal its start would get now, instead of letting it deliver (or
/// take in) to its end what the caller may no longer read (or write).
///
/// `GuardedRouter` runs it on every message of every streaming method it registers (the writer's
/// or reader's `checking`), with the method's own requirement, so no handler can leave it out.
///
/// Asked for every message, so it costs one atomic load of the user directory's epoch while no
/// user or profile changes; only after a change (a new epoch) is the caller resolved and the
/// requirement checked again. The first message compares with the epoch the call's caller was
/// resolved in (`Caller.epoch`): a change between the call's identity check and its handler has
/// moved it.
final class CallerStanding<Input: Sendable>: Sendable {
    /// Which way the stream's messages go, for the refusal's words.
    enum Direction: Sendable {
        /// A server stream: the call ends before the message is sent.
        case sending
        /// A client stream: the call ends before the handler sees the message (or the stream's end);
        /// its handler keeps nothing before the stream has ended (see `GuardedRouter`).
        case receiving
    }

    private let checker: PermissionChecker
    private let requirement: Requirement<Input>
    private let input: Input
    private let context: ServerContext
    private let direction: Direction
    private let started: Caller
    /// The epoch the caller was last found standing in: at first the one it was resolved in (0,
    /// never an epoch, for a caller made without the directory, so its first message resolves it).
    /// Only the call's thread checks; atomic to be `Sendable`.
    private let standingIn: Atomic<UInt64>

    init(_ checker: PermissionChecker, _ requirement: Requirement<Input>, _ input: Input, _ context: ServerContext,
         _ direction: Direction) throws {
        self.checker = checker
        self.requirement = requirement
        self.input = input
        self.context = context
        self.direction = direction
        started = try Caller.of(context)
        standingIn = Atomic(started.epoch)
    }

    /// Throws the refusal a new call would get now ("…; the stream ended after N messages"):
    /// `UNAUTHENTICATED` for a user deactivated (or no longer a user), `PERMISSION_DENIED` for a
    /// service no longer trusted, a right or scope the requirement no longer finds, or, when the
    /// handler shows the caller's view (`Requirement.showsCallersView`), a profile that shows less.
    /// `messages`: those the stream has carried so far.
    func check(after messages: Int) throws {
        // Read before the users: a change committing after this load starts a newer epoch, which
        // the next message sees.
        let epoch = checker.identity.users.epoch
        guard epoch != standingIn.load(ordering: .relaxed) else { return }
        try recheck(after: messages)
        standingIn.store(epoch, ordering: .relaxed)
    }

    private func recheck(after messages: Int) throws {
        try Self.recheck(checker, requirement, input, context, started: started,
                         moneyShown: requirement.showsCallersView, ending: ending(after: messages))
    }

    /// Resolves the caller of `context` again and throws the refusal a new call would get now,
    /// `ending` appended to its words: the caller no longer a user, deactivated or not trusted, the
    /// requirement no longer met, another user than `started` (a uid reused), or, when the call's
    /// answer shows the caller's view (`Requirement.showsCallersView`), a profile that shows less
    /// (a narrower scope, or money hidden). `moneyShown`: the answer may carry money shown as
    /// `started` could see it, so Financial figures withdrawn refuse it whatever the requirement.
    static func recheck(_ checker: PermissionChecker, _ requirement: Requirement<Input>, _ input: Input,
                        _ context: ServerContext, started: Caller, moneyShown: Bool, ending: String) throws {
        let now: Caller
        do {
            now = try checker.identity.caller(of: context)
            try checker.check(requirement, input, as: now, context)
        } catch let refused as RPCError {
            throw RPCError(refused.code, "\(refused.message); \(ending)", details: refused.details)
        }
        let scopeNarrowed = now.rights.readCustomers < started.rights.readCustomers
        let moneyHidden = started.financialFiguresVisible && !now.financialFiguresVisible
        let showsLess = (requirement.showsCallersView && scopeNarrowed) || (moneyShown && moneyHidden)
        guard now.user.id == started.user.id, !showsLess else {
            throw checker.audit.refuse(
                context, user: now.user.name, service: now.service?.name,
                detail: ErrorDetail(field: "profile", reason: "narrowed while the call ran"),
                message: "\(now.described) now, which shows less than when the call started; \(ending)")
        }
    }

    private func ending(after messages: Int) -> String {
        switch direction {
        case .sending: "the stream ended after \(messages) messages"
        case .receiving: "the call ended after \(messages) messages of its stream, and nothing of it was kept"
        }
    }
}
