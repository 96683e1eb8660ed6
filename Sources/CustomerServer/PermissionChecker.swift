import CustomerStore
import RPCServing

/// Runs a method's requirement before its handler: the one place permissions are enforced (and,
/// through `CallerStanding`, again on every message of a stream).
struct PermissionChecker: Sendable {
    let store: CustomerStore
    let audit: PermissionAudit
    /// Resolves a stream's caller again after a change of users or profiles (`CallerStanding`).
    let identity: IdentityInterceptor

    /// Checks `requirement` for this call's caller, then runs `body`; a refusal is logged and
    /// thrown as PERMISSION_DENIED without running `body`.
    ///
    /// Both run with the call's reads interruptible: once the call is cancelled (its client gone,
    /// its deadline passed, the shutdown's grace over) the query it runs stops, so a caller that
    /// sends an expensive read with a short deadline cannot keep a reader and a core busy after
    /// its answer, nor wait for a reader to run it (the handler runs on the call's thread: see
    /// `InterruptibleReads`). `body` gets the caller the requirement was checked for.
    func run<Input, Result>(_ requirement: Requirement<Input>, _ input: Input, _ context: ServerContext,
                            _ body: (Caller) throws -> Result) throws -> Result {
        let reads = store.beginInterruptibleReads()
        defer { reads.end() }
        do {
            return try context.withCancelHandler(reads.interrupter) {
                let caller = try Caller.of(context)
                try check(requirement, input, as: caller, context)
                return try body(caller)
            }
        } catch StoreError.cancelled {
            // The call's own reason (DEADLINE_EXCEEDED, CANCELLED, UNAVAILABLE at shutdown).
            try context.checkCancellation()
            throw StoreError.cancelled
        }
    }

    /// Runs a unary call's handler (`body`, inside `run`) and lets its answer, or its error, go
    /// only to a caller a new call would still admit: when a user or profile changed since `caller`
    /// was resolved (the directory's epoch moved: one atomic load when nothing did), the caller is
    /// resolved again, and a refusal replaces the answer, in the words a new call would get with
    /// "…; its answer, made before the change, was withheld" (`CallerStanding.recheck`; money
    /// hidden since the call started counts, as any answer may carry money shown to the caller it
    /// started as). So a read that waited, or searched long, gives nothing to a caller deactivated
    /// or narrowed meanwhile.
    ///
    /// A call that took its answer ahead (`ServerContext.claimAnswer`: every write does, through
    /// `store.answering(context)`) keeps it: its write is committed, the writer refused it if the
    /// author's rights changed before (`AuthorStanding`), and its answer says what was written,
    /// which a refusal would hide from a client that then retries or believes nothing happened.
    func answer<Input, Result>(_ requirement: Requirement<Input>, _ input: Input, _ context: ServerContext,
                               to caller: Caller, _ body: () throws -> Result) throws -> Result {
        let result: Result
        do {
            result = try body()
        } catch {
            try withholdFromRefused(requirement, input, context, caller)
            throw error
        }
        try withholdFromRefused(requirement, input, context, caller)
        return result
    }

    private func withholdFromRefused<Input>(_ requirement: Requirement<Input>, _ input: Input, _ context: ServerContext,
                                            _ caller: Caller) throws {
        guard identity.users.epoch != caller.epoch, !context.answerClaimedByHandler else { return }
        try CallerStanding.recheck(self, requirement, input, context, started: caller, moneyShown: true,
                                   ending: "its answer, made before the change, was withheld")
    }

    /// Checks `requirement` for `caller`; a refusal is logged and thrown as PERMISSION_DENIED.
    func check<Input>(_ requirement: Requirement<Input>, _ input: Input, as caller: Caller, _ context: ServerContext) throws {
        do {
            try requirement.check(input, PermissionCheck(caller: caller, method: context.method, store: store))
        } catch let denied as PermissionDenied {
            throw audit.refuse(context, caller, denied)
        }
    }
}
