import CustomerAPI
import CustomerStore
import Foundation
import RPCServing

/// Serves `customer.v1.InvoiceService`: minimal invoices that keep a snapshot of what they said.
struct InvoiceServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(InvoiceService.issueInvoice, requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            // The invoicing settings are snapshotted as the API's JSON so that the invoice keeps
            // saying what they were, whatever changes later.
            let settings = CustomerSettings(try store.customerSettings(customerID: request.customerId))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let snapshot = String(decoding: try encoder.encode(settings), as: UTF8.self)
            let currency = request.currency ?? settings.currency ?? "EUR"
            return caller.shown(Invoice(
                try store.answering(context).issueInvoice(
                    customerID: request.customerId, contactID: request.contactId, total: request.total, currency: currency,
                    description: request.description, settingsSnapshot: snapshot, by: caller.author)))
        }
        router.register(InvoiceService.getInvoice, requires: .customers(.read, record: { .invoice(id: $0.id) })) { request, context in
            try Caller.of(context).shown(Invoice(try store.invoice(id: request.id)))
        }
        router.register(InvoiceService.listInvoices, requires: .customers(.read, customer: \.customerId)) { request, context in
            InvoiceList(invoices: try Caller.of(context).shown(try store.invoices(customerID: request.customerId).map(Invoice.init)))
        }
    }
}
