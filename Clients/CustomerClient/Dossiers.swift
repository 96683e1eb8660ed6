import CustomerAPI
import RPCClient

extension Customers {
    /// Everything stored about the customer (`customer.v1.DossierService/GetCustomerDossier`).
    public func dossier(id: Int64, options: CallOptions = CallOptions()) async throws -> CustomerDossier {
        try await channel.call(DossierService.getCustomerDossier, CustomerIDRequest(customerId: id), options: options)
    }
}

extension Contacts {
    /// Everything stored about the person (`customer.v1.DossierService/GetContactDossier`).
    public func dossier(id: Int64, options: CallOptions = CallOptions()) async throws -> ContactDossier {
        try await channel.call(DossierService.getContactDossier, ContactIDRequest(id: id), options: options)
    }
}
