import CustomerStore
import RPCServing

/// Runs a method's requirement before its handler: the one place permissions are enforced.
struct PermissionChecker: Sendable {
    let store: CustomerStore
    let audit: PermissionAudit

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
                let caller = try Caller.of(context)
                do {
                    try requirement.check(input, PermissionCheck(caller: caller, method: context.method, store: store))
                } catch let denied as PermissionDenied {
                    throw audit.refuse(context, caller, denied)
                }
                return try body()
            }
        } catch StoreError.cancelled {
            // The call's own reason (DEADLINE_EXCEEDED, CANCELLED, UNAVAILABLE at shutdown).
            try context.checkCancellation()
            throw StoreError.cancelled
        }
    }
}
