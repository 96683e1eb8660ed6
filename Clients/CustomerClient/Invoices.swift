import Foundation

/// `customer.v1.InvoiceService` as Swift calls.
public struct Invoices: Sendable {
    let channel: ClientChannel

    public func issue(_ request: IssueInvoiceRequest, options: CallOptions = CallOptions()) async throws -> Invoice {
        try await channel.call(InvoiceService.issueInvoice, request, options: options)
    }

    public func get(id: Int64, options: CallOptions = CallOptions()) async throws -> Invoice {
        try await channel.call(InvoiceService.getInvoice, InvoiceIDRequest(id: id), options: options)
    }

    public func list(customerID: Int64, options: CallOptions = CallOptions()) async throws -> [Invoice] {
        try await channel.call(InvoiceService.listInvoices, CustomerIDRequest(customerId: customerID), options: options).invoices
    }
}
