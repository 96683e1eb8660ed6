import CustomerAPI
import Foundation
import RPC

/// Serves `customer.v1.CardService`: the tabs asked for, read in one snapshot.
struct CardServiceHandler: GuardedService {
    let store: Store

    func register(with router: inout GuardedRouter) {
        router.register(CardService.getCustomerCard,
                        requires: .customers(.read, customer: \.customerId)) { request, _ in
            let tabs = request.tabs.isEmpty ? Set(CardTab.allCases) : Set(request.tabs)
            guard tabs.contains(.contactInformation) else {
                return CustomerCard(customer: APICustomer(try store.customer(id: request.customerId)), contactInformation: nil)
            }
            let information = try store.contactInformation(customerID: request.customerId, now: Date())
            return CustomerCard(
                customer: APICustomer(information.customer),
                contactInformation: CustomerAPI.ContactInformation(
                    addresses: information.addresses.map(CustomerAPI.Address.init),
                    contacts: information.contacts.map(CustomerAPI.Contact.init),
                    activities: CustomerAPI.ActivityList(information.activities)))
        }
    }
}
