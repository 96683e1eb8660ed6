import CustomerAPI
import CustomerStore
import Foundation
import RPCServing

/// Serves `customer.v1.DossierService`: everything about one customer or person, checked as a read
/// of that customer; money is shown only with the Financial figures right, and without it the
/// history of projects and invoices (which records their money fields) is left out too.
struct DossierServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(DossierService.getCustomerDossier, requires: .customers(.read, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            let customerID = request.customerId
            let card = try CardServiceHandler.card(of: customerID, tabs: [], from: nil, to: nil, for: caller, store: store)
            let contacts = try store.contacts(customerID: customerID, includeDeactivated: true)
            let invoices = try store.invoices(customerID: customerID)
            var records: [(HistoryEntry.Entity, Int64)] = [(.customer, customerID)]
            records += (card.contactInformation?.addresses ?? []).map { (.address, $0.id) }
            records += contacts.map { (.contact, $0.id) }
            if caller.financialFiguresVisible {
                records += (card.salesAndProjects?.projects ?? []).map { (.project, $0.id) }
                records += invoices.map { (.invoice, $0.id) }
            }
            return CustomerDossier(
                card: card, contacts: contacts.map(Contact.init), invoices: caller.shown(invoices.map(Invoice.init)),
                history: try history(of: records), generatedAt: Date())
        }
        router.register(DossierService.getContactDossier, requires: .customers(.read, contact: \.id)) { request, context in
            let caller = try Caller.of(context)
            let contact = try store.contact(id: request.id)
            let activities = ActivityList(try store.activities(customerID: contact.customerID, now: Date()))
            let invoices = try store.invoices(customerID: contact.customerID).filter { $0.contactID == contact.id }
            return ContactDossier(
                contact: Contact(contact), customer: Customer(try store.customer(id: contact.customerID)),
                activities: (activities.planned + activities.done).filter { $0.contact?.id == contact.id },
                invoices: caller.shown(invoices.map(Invoice.init)), history: try history(of: [(.contact, contact.id)]),
                generatedAt: Date())
        }
    }

    /// The history of every record named, oldest first (ties in id order).
    private func history(of records: [(HistoryEntry.Entity, Int64)]) throws -> [HistoryEntry] {
        try records.flatMap { entity, id in try store.history(entity.stored, id: id).map(HistoryEntry.init) }
            .sorted { ($0.at, $0.id) < ($1.at, $1.id) }
    }
}
