import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.AddressService`.
struct AddressServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(AddressService.addAddress,
                        requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            return Address(try store.answering(context).addAddress(customerID: request.customerId, request.fields.stored,
                                                                   by: caller.author))
        }
        router.register(AddressService.updateAddress, requires: .customers(.edit, address: \.id)) { request, context in
            let caller = try Caller.of(context)
            return Address(
                try store.answering(context).updateAddress(
                    id: request.id, request.fields.stored, expectedVersion: request.expectedVersion, by: caller.author))
        }
        router.register(AddressService.removeAddress, requires: .customers(.edit, address: \.id)) { request, context in
            let caller = try Caller.of(context)
            let removed = try store.answering(context).removeAddress(id: request.id, by: caller.author)
            return AddressList(addresses: try store.addresses(customerID: removed).map(Address.init))
        }
        router.register(AddressService.listAddresses,
                        requires: .customers(.read, customer: \.customerId)) { request, _ in
            AddressList(addresses: try store.addresses(customerID: request.customerId).map(Address.init))
        }
        router.register(AddressService.setHeadOffice, requires: .customers(.edit, address: \.id)) { request, context in
            let caller = try Caller.of(context)
            return AddressList(
                addresses: try store.answering(context).setHeadOffice(addressID: request.id, by: caller.author).map(Address.init))
        }
        router.register(AddressService.getInvoicingReadiness,
                        requires: .customers(.read, customer: \.customerId)) { request, _ in
            let readiness = try store.invoicingReadiness(customerID: request.customerId)
            return InvoicingReadiness(
                ready: readiness.missing.isEmpty, missing: readiness.missing,
                headOffice: readiness.headOffice.map(Address.init), vatNumber: readiness.vatNumber)
        }
    }
}
