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
    /// `InterruptibleReads`).
    func run<Input, Result>(_ requirement: Requirement<Input>, _ input: Input, _ context: ServerContext,
                            _ body: () throws -> Result) throws -> Result {
        let reads = store.beginInterruptibleReads()
        defer { reads.end() }
        do {
            return try context.withCancelHandler(reads.interrupt) {
                try check(requirement, input, as: Caller.of(context), context)
                return try body()
            }
        } catch StoreError.cancelled {
            // The call's own reason (DEADLINE_EXCEEDED, CANCELLED, UNAVAILABLE at shutdown).
            try context.checkCancellation()
            throw StoreError.cancelled
        }
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
