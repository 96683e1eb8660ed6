import CustomerStore
import RPCServing

/// Runs a method's requirement before its handler: the one place permissions are enforced.
struct PermissionChecker: Sendable {
    let store: CustomerStore
    let audit: PermissionAudit

    /// Checks `requirement` for this call's caller, then runs `body`; a refusal is logged and
    /// thrown as PERMISSION_DENIED without running `body`.
    func run<Input, Result>(_ requirement: Requirement<Input>, _ input: Input, _ context: ServerContext,
                            _ body: () throws -> Result) throws -> Result {
        let caller = try Caller.of(context)
        do {
            try requirement.check(input, PermissionCheck(caller: caller, method: context.method, store: store))
        } catch let denied as PermissionDenied {
            throw audit.refuse(context, caller, denied)
        }
        return try body()
    }
}
