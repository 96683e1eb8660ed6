import CustomerStore
import RPCServing

/// Who a call runs as, resolved before the handler runs (see `IdentityInterceptor`): the user
/// its socket's uid maps to, or the person a trusted service named in the call's metadata.
///
/// A class, immutable: the call's attachment (a class reference) holds it as one reference, where the
/// struct (two `StoredUser`s) was boxed on the heap per call, copied out by `attachment as? Caller`
/// with a retain per string, and copied again into each check (~1 000 instructions a get,
/// callgrind; docs/performance/HISTORY.md "get17").
final class Caller: Sendable {
    /// The person the call is checked as and recorded as (created/updated by, history `by`).
    let user: StoredUser
    /// The trusted service that named `user` (acting for them); nil when the user called itself.
    let service: StoredUser?

    /// The user directory's epoch read before `user` and `service` were: while it has not moved,
    /// no user or profile changed since, and the call may answer as this caller without resolving
    /// it again (`PermissionChecker.answer`, `CallerStanding`). 0 (never an epoch) for a caller made without the
    /// directory: its answer always resolves it again.
    let epoch: UInt64

    init(user: StoredUser, service: StoredUser?, epoch: UInt64 = 0) {
        self.user = user
        self.service = service
        self.epoch = epoch
    }

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

    /// Who the store records as making this call's writes: the person, with the service named
    /// beside them when one acts for them, and the profile the call was admitted with (the writer
    /// refuses the write if the person was deactivated or given other rights meanwhile).
    var author: Author { Author(admitted: user, via: service?.id) }

    /// What the person's profile grants (a trusted service adds nothing of its own).
    var rights: PermissionRights { user.rights }

    /// Whether answers may carry money; without it handlers pass results through `shown(_:)`
    /// (see `MoneyBearing`), which removes them and marks them hidden.
    var financialFiguresVisible: Bool { rights.financialFigures }

    /// The customers lists and streams show this caller.
    var visibleCustomers: CustomerVisibility {
        rights.readCustomers == .all ? .all : .managedBy(user.id)
    }

    /// "user 'bob' has profile 'Read only'", naming the service when one acts for the user.
    var described: String {
        let through = service.map { " (acting through the service '\($0.name)')" } ?? ""
        return "user '\(user.name)'\(through) has profile '\(user.profile.name)'"
    }
}

/// Which customers a list or stream may include for a caller.
enum CustomerVisibility: Sendable, Hashable {
    case all
    /// Only the customers whose account manager is this user.
    case managedBy(Int64)

    /// The account manager a listing must be restricted to; nil for all customers.
    var accountManagerID: Int64? {
        switch self {
        case .all: nil
        case .managedBy(let id): id
        }
    }

    /// `filter` narrowed to what the caller may see; nil when it asks only for customers out of
    /// scope (another account manager's), which the caller then gets as an empty answer, exactly
    /// as if there were none.
    func restrict(_ filter: CustomerFilter) -> CustomerFilter? {
        guard let own = accountManagerID else { return filter }
        if let asked = filter.accountManagerID, asked != own { return nil }
        var restricted = filter
        restricted.accountManagerID = own
        return restricted
    }
}
