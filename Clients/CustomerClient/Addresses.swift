/// `customer.v1.AddressService` as Swift calls.
public struct Addresses: Sendable {
    let channel: ClientChannel

    /// Adds an address; the customer's first address becomes its head office.
    public func add(customerID: Int64, _ fields: AddressFields, options: CallOptions = CallOptions()) async throws -> Address {
        try await channel.call(AddressService.addAddress, AddAddressRequest(customerId: customerID, fields: fields), options: options)
    }

    public func update(id: Int64, _ fields: AddressFields, expectedVersion: Int64? = nil, options: CallOptions = CallOptions())
        async throws -> Address
    {
        try await channel.call(
            AddressService.updateAddress, UpdateAddressRequest(id: id, expectedVersion: expectedVersion, fields: fields),
            options: options)
    }

    /// Removes an address and returns the customer's remaining ones. The head office cannot be
    /// removed while other addresses exist (FAILED_PRECONDITION): move it first.
    @discardableResult
    public func remove(id: Int64, options: CallOptions = CallOptions()) async throws -> [Address] {
        try await channel.call(AddressService.removeAddress, AddressIDRequest(id: id), options: options).addresses
    }

    /// The customer's addresses, head office first.
    public func list(customerID: Int64, options: CallOptions = CallOptions()) async throws -> [Address] {
        try await channel.call(AddressService.listAddresses, CustomerIDRequest(customerId: customerID), options: options).addresses
    }

    /// Makes this address the head office (atomically); returns the customer's addresses.
    @discardableResult
    public func setHeadOffice(id: Int64, options: CallOptions = CallOptions()) async throws -> [Address] {
        try await channel.call(AddressService.setHeadOffice, AddressIDRequest(id: id), options: options).addresses
    }

    /// Whether invoicing integrations can use the customer (head office and VAT number present).
    public func invoicingReadiness(customerID: Int64, options: CallOptions = CallOptions()) async throws -> InvoicingReadiness {
        try await channel.call(AddressService.getInvoicingReadiness, CustomerIDRequest(customerId: customerID), options: options)
    }
}
