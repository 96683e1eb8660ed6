import BinaryCoding
import CustomerAPI
import CustomerStore
import Foundation
import RPCServing

/// Serves `customer.v1.CustomerService` from the store.
///
/// Handlers run synchronously on the connection's thread (see `RPCServer`), so each one is a
/// straight line: resolve the caller, translate the request, one store call (one transaction),
/// translate the answer.
struct CustomerServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(CustomerService.createCustomer, resolving: { [store] request in
            CustomerCreation(
                request: request,
                accountManager: try request.fields.accountManager.map { try store.namedUser($0, field: "accountManager") })
        }, requires: .newCustomer(accountManager: \.accountManager), answeringLater: { creation, context, answer in
            let caller = try Caller.of(context)
            let new = try newCustomer(from: creation.request.fields, accountManager: creation.accountManager)
            // Handed to the group commit: this thread goes back to its socket, and the group's
            // thread answers after the COMMIT (issue 15: the member's sleep and wake-up were
            // ~2 futex calls and a context switch a create at 64 callers).
            store.answering(context).createCustomer(new, allowDuplicateVAT: creation.request.allowDuplicateVat ?? false,
                                                    by: caller.author) {
                answer($0.map(Customer.init).mapError(caller.withholdingCustomers))
            }
        })
        // Written from the customer's row as it is read (CustomerListingRow+Encoding.swift).
        router.register(CustomerService.getCustomer, resolving: { [store] request in CustomerLookup(request, in: store) },
                        requires: .customers(.read, record: \.target), encoding: { lookup, _ in
            switch (lookup.request.id, lookup.request.number) {
            case (let id?, nil):
                return try store.encodedCustomer(id: id)
            case (nil, let number?):
                return try lookup.numbered?.customer ?? store.encodedCustomer(number: number).customer
            default:
                throw RPCError(.invalidArgument, field: "id", "give exactly one of id and number, to name the customer")
            }
        })
        router.register(CustomerService.updateCustomer, resolving: { [store] request in
            CustomerUpdate(request: request, accountManager: try request.fields.accountManager.map {
                // An empty name clears the account manager, like every other optional field.
                $0.isEmpty ? .cleared : .named(try store.namedUser($0, field: "accountManager"))
            } ?? .kept)
        }, requires: .customers(.edit, customer: \.request.id).and(.accountManagerChange(\.accountManager))) { update, context in
            let caller = try Caller.of(context)
            let request = update.request
            // With own scope the requirement saw the customer as the caller's on a reader; the
            // write checks it again in its transaction, where no change of account manager can
            // come between (an update naming the caller would otherwise take a customer back).
            do {
                let updated = try store.answering(context).updateCustomer(
                    id: request.id, try changes(from: request.fields, accountManager: update.accountManager),
                    expectedVersion: request.expectedVersion, allowDuplicateVAT: request.allowDuplicateVat ?? false,
                    managedBy: caller.rights.editCustomers == .own ? caller.user.id : nil, by: caller.author)
                return Customer(updated)
            } catch {
                throw caller.withholdingCustomers(error)
            }
        }
        router.register(CustomerService.listCustomers, requires: .visibleCustomers,
                        encoding: { (request: ListCustomersRequest, context) in
            let limit = try PageLimit.checked(request.limit, default: ListCustomersRequest.defaultLimit, maximum: ListCustomersRequest.maximumLimit)
            let visible = try Caller.of(context).visibleCustomers
            guard let filter = visible.restrict(try request.query.storeFilter(resolvingWith: store)) else {
                // An empty page: no customers and no token, which is no field at all.
                return try BinaryEncoder().encodeFields(of: ListCustomersResponse.self, capacity: 0) { _ in }
            }
            return try store.encodedPage(filter, order: request.query.storeOrder, limit: limit, pageToken: request.pageToken)
        })
        router.register(CustomerService.streamCustomers, requires: .visibleCustomers) {
            (request: StreamCustomersRequest, writer: ServerStreamWriter<Customer>, context) in
            guard let filter = try request.query.visibleFilter(context, resolvingWith: store) else { return }
            try store.streamCustomers(filter, order: request.query.storeOrder, osUser: context.peer.uid) { customer in
                try context.checkCancellation()
                try writer.send(Customer(customer))
            }
        }
        router.register(CustomerService.deactivateCustomer,
                        requires: .customers(.edit, customer: \.id)) { (request: SetCustomerActiveRequest, context) in
            let caller = try Caller.of(context)
            return Customer(
                try store.answering(context).setCustomerActive(
                    id: request.id, false, expectedVersion: request.expectedVersion, by: caller.author))
        }
        router.register(CustomerService.activateCustomer,
                        requires: .customers(.edit, customer: \.id)) { (request: SetCustomerActiveRequest, context) in
            let caller = try Caller.of(context)
            return Customer(
                try store.answering(context).setCustomerActive(
                    id: request.id, true, expectedVersion: request.expectedVersion, by: caller.author))
        }
        router.register(CustomerService.deleteCustomer,
                        requires: .deleteCustomers.and(.customers(.edit, customer: \.id))) { request, context in
            let caller = try Caller.of(context)
            guard request.confirm else {
                // customerctl words `send confirm=true` as its flag (CommandFailure).
                throw RPCError(
                    .failedPrecondition, field: "confirm",
                    "deleting customer \(request.id) cannot be undone: send confirm=true to delete it, or deactivate it instead")
            }
            try store.answering(context).deleteCustomer(id: request.id, by: caller.author)
            return DeleteCustomerResponse(id: request.id)
        }
    }

    private func newCustomer(from fields: CustomerFields, accountManager: NamedUser?) throws -> NewCustomer {
        NewCustomer(
            number: fields.number, name: fields.name ?? "",
            accountManagerID: try accountManager?.id(),
            description: fields.description, vatNumber: fields.vatNumber, country: fields.country,
            industry: fields.industry, email: fields.email, website: fields.website, phone: fields.phone)
    }

    private func changes(from fields: CustomerFields, accountManager: CustomerUpdate.AccountManagerChange) throws -> CustomerChanges {
        var changes = CustomerChanges()
        changes.number = fields.number
        changes.name = fields.name
        switch accountManager {
        case .kept: break
        case .cleared: changes.accountManagerID = .some(nil)
        case .named(let manager): changes.accountManagerID = try manager.id()
        }
        changes.description = fields.description
        changes.vatNumber = fields.vatNumber
        changes.country = fields.country
        changes.industry = fields.industry
        changes.email = fields.email
        changes.website = fields.website
        changes.phone = fields.phone
        return changes
    }
}
