import CustomerStore
import RPCServing

/// The checks a `Requirement` is made of, for one call: its caller, its method and the store to
/// find a target's customer in. Each throws `PermissionDenied` naming the missing right.
struct PermissionCheck: Sendable {
    let caller: Caller
    let method: MethodDescriptor
    let store: CustomerStore

    /// A right that is held or not (a flag, or a Customers right at any scope).
    func require(_ right: Right) throws {
        guard caller.rights.grants(right) else { throw missing(right) }
    }

    /// Customers `access` on the customer of `record`: at once with scope all; with scope own the
    /// caller must be that customer's account manager. A record that does not exist is refused in
    /// the same words as someone else's, so the answer says nothing about customers out of scope.
    func requireCustomers(_ access: CustomerAccess, on record: OwnedRecord?) throws {
        switch caller.rights.scope(access) {
        case .all:
            return
        case .none:
            throw missing(access.right)
        case .own:
            guard let record else { return }
            guard let owner = try store.ownership(of: record), owner.accountManagerID == caller.user.id else {
                throw notOwn(access.right, "being the account manager of \(Self.describe(record))")
            }
        }
    }

    /// Customers `access` with scope all.
    func requireAllCustomers(_ access: CustomerAccess) throws {
        switch caller.rights.scope(access) {
        case .all: return
        case .none: throw missing(access.right)
        case .own:
            throw PermissionDenied(
                right: access.right,
                message: "\(method.fullName) needs the right '\(access.right.title)' for all customers; "
                    + "\(caller.described), which grants it for own customers only")
        }
    }

    /// Customers edit for a new customer: scope all, or scope own with the caller as its account
    /// manager. An account manager no user has is refused in the same words as someone else.
    func requireNewCustomer(accountManager: NamedUser?) throws {
        switch caller.rights.editCustomers {
        case .all:
            return
        case .none:
            throw missing(.editCustomers)
        case .own:
            guard case .user(let manager)? = accountManager, manager.id == caller.user.id else {
                throw notOwn(.editCustomers, "naming yourself as the new customer's account manager")
            }
        }
    }

    /// Customers edit when an update changes the account manager: scope all, or scope own with
    /// the caller named (the customer stays the caller's). Clearing it, or naming a colleague or
    /// a name no user has, is refused in the same words.
    func requireAccountManagerChange(_ change: CustomerUpdate.AccountManagerChange) throws {
        guard caller.rights.editCustomers == .own else { return }
        switch change {
        case .kept:
            return
        case .named(.user(let manager)) where manager.id == caller.user.id:
            return
        case .cleared, .named:
            throw notOwn(.editCustomers, "keeping yourself as the customer's account manager")
        }
    }

    private func missing(_ right: Right) -> PermissionDenied {
        PermissionDenied(
            right: right,
            message: "\(method.fullName) needs the right '\(right.title)'; \(caller.described), which does not grant it")
    }

    private func notOwn(_ right: Right, _ alternative: String) -> PermissionDenied {
        PermissionDenied(
            right: right,
            message: "\(method.fullName) needs the right '\(right.title)' for all customers, or \(alternative); "
                + "\(caller.described), which grants it for own customers only")
    }

    private static func describe(_ record: OwnedRecord) -> String {
        switch record {
        case .customer(let id): "customer \(id)"
        case .customerNumber(let number), .customerNumbered(let number, _): "the customer numbered \(number)"
        case .address(let id): "the customer of address \(id)"
        case .contact(let id): "the customer of contact \(id)"
        case .activity(let id): "the customer of activity \(id)"
        case .project(let id): "the customer of project \(id)"
        case .projectTask(let id): "the customer of project task \(id)"
        case .file(let id): "the customer of file \(id)"
        case .link(let id): "the customer of link \(id)"
        case .invoice(let id): "the customer of invoice \(id)"
        case .history(let entity, let id): "the customer of \(entity.rawValue) \(id)"
        }
    }
}

/// A refusal before the handler ran; `PermissionAudit` logs it and turns it into PERMISSION_DENIED.
struct PermissionDenied: Error {
    let right: Right
    let message: String
}
