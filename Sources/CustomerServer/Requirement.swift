import CustomerStore
import RPCServing

/// What a method needs before its handler runs: declared once, at registration, for every method
/// (see `GuardedRouter`), and checked by `PermissionCheck` in one place.
///
/// Build one from the parts below and combine them with `and`, flags first so a refusal names
/// the flag:
///
///     .signedIn                                          // any active user
///     .administration                                    // users, profiles, keywords, roles, ...
///     .customers(.read, customer: \.customerId)           // read on the customer the request names
///     .customers(.edit, address: \.id)                    // ... on the customer of an address
///     .manageContacts.and(.customers(.read, contact: \.id))
///     .deleteCustomers.and(.customers(.edit, customer: \.id))
///     .visibleCustomers                                   // lists and streams: the handler filters
///     .newCustomer(accountManager: \.accountManager)           // the user the request names, looked up
///
/// A customer target is checked against the caller's scope: with *all* nothing is looked up;
/// with *own* the target's customer must have the caller as account manager (one indexed read);
/// a target that does not exist is refused like someone else's, so own-scope callers learn
/// nothing about customers they may not see.
struct Requirement<Input: Sendable>: Sendable {
    /// For logs and the method table, e.g. "Customers: edit (on the customer named)".
    let summary: String
    /// Whether the handler shapes what it sends by the caller's rights (the customers in scope,
    /// money shown or hidden, as read when the call started): a stream of it then also ends once
    /// the caller would be shown less (`CallerStanding`), not only once the requirement fails.
    let showsCallersView: Bool
    let check: @Sendable (Input, PermissionCheck) throws -> Void

    init(_ summary: String, showsCallersView: Bool = false,
         check: @escaping @Sendable (Input, PermissionCheck) throws -> Void) {
        self.summary = summary
        self.showsCallersView = showsCallersView
        self.check = check
    }

    /// Both requirements, `self` checked first.
    func and(_ other: Requirement) -> Requirement {
        let (first, second) = (check, other.check)
        return Requirement("\(summary) and \(other.summary)", showsCallersView: showsCallersView || other.showsCallersView) {
            input, permission in
            try first(input, permission)
            try second(input, permission)
        }
    }
}

/// Reading or editing customers.
enum CustomerAccess: Sendable {
    case read, edit

    var right: Right { self == .read ? .readCustomers : .editCustomers }
}

extension Requirement {
    /// Any active user: the identity interceptor has already refused everyone else.
    static var signedIn: Requirement { Requirement("signed in") { _, _ in } }

    static var administration: Requirement { flag(.administration) }
    static var manageContacts: Requirement { flag(.manageContacts) }
    static var deleteCustomers: Requirement { flag(.deleteCustomers) }
    /// For methods that return nothing but money (most only hide money fields, see `MoneyBearing`).
    static var financialFigures: Requirement { flag(.financialFigures) }

    /// Financial figures when the request sets a money field (`setsMoney`): a caller who may not
    /// see a figure may not overwrite it unseen either, as SetForecast needs the right. A request
    /// that sets none needs nothing more.
    static func financialFigures(toSet field: String, when setsMoney: @escaping @Sendable (Input) -> Bool) -> Requirement {
        Requirement("\(Right.financialFigures.title) to set `\(field)`") { input, permission in
            if setsMoney(input) { try permission.require(.financialFigures) }
        }
    }

    private static func flag(_ right: Right) -> Requirement {
        Requirement(right.title) { _, permission in try permission.require(right) }
    }

    /// Customers `access` on the customer of the record `target` names; a nil target (the request
    /// names none) is left to the handler to refuse.
    static func customers(_ access: CustomerAccess, record target: @escaping @Sendable (Input) -> OwnedRecord?)
        -> Requirement {
        Requirement("\(access.right.title) (on the customer named)") { input, permission in
            try permission.requireCustomers(access, on: target(input))
        }
    }

    static func customers(_ access: CustomerAccess, customer id: @escaping @Sendable (Input) -> Int64) -> Requirement {
        customers(access, record: { .customer(id: id($0)) })
    }

    /// Customers `access` on every customer the request names (a merge names two).
    static func customers(_ access: CustomerAccess, each ids: @escaping @Sendable (Input) -> [Int64]) -> Requirement {
        Requirement("\(access.right.title) (on each customer named)") { input, permission in
            for id in ids(input) { try permission.requireCustomers(access, on: .customer(id: id)) }
        }
    }

    static func customers(_ access: CustomerAccess, address id: @escaping @Sendable (Input) -> Int64) -> Requirement {
        customers(access, record: { .address(id: id($0)) })
    }

    static func customers(_ access: CustomerAccess, contact id: @escaping @Sendable (Input) -> Int64) -> Requirement {
        customers(access, record: { .contact(id: id($0)) })
    }

    static func customers(_ access: CustomerAccess, activity id: @escaping @Sendable (Input) -> Int64) -> Requirement {
        customers(access, record: { .activity(id: id($0)) })
    }

    /// Lists and streams of customers (or of what hangs on them): Customers read for own or all
    /// customers. The handler must show only `caller.visibleCustomers`, so a caller never learns
    /// how many others exist.
    static var visibleCustomers: Requirement {
        Requirement("\(Right.readCustomers.title) (lists show only the customers in scope)", showsCallersView: true) {
            _, permission in
            try permission.requireCustomers(.read, on: nil)
        }
    }

    /// Customers `access` for all customers (scope all): work on many customers at once that names
    /// none up front, such as an import.
    static func allCustomers(_ access: CustomerAccess) -> Requirement {
        Requirement("\(access.right.title) for all customers") { _, permission in
            try permission.requireAllCustomers(access)
        }
    }

    /// Changing a customer's account manager (a requirement to add to Customers edit on that
    /// customer): with own scope only to the caller, so the customer stays the caller's.
    static func accountManagerChange(_ change: @escaping @Sendable (Input) -> CustomerUpdate.AccountManagerChange)
        -> Requirement {
        Requirement("with own scope only the caller as its new account manager") { input, permission in
            try permission.requireAccountManagerChange(change(input))
        }
    }

    /// Creating a customer: Customers edit for all customers, or for own customers when the new
    /// customer's account manager (the user the request names, looked up once) is the caller.
    static func newCustomer(accountManager: @escaping @Sendable (Input) -> NamedUser?) -> Requirement {
        Requirement("\(Right.editCustomers.title) (own scope: only as the new customer's account manager)") {
            input, permission in
            try permission.requireNewCustomer(accountManager: accountManager(input))
        }
    }
}
