/// `customer.v1.CustomerService` as Swift calls.
public struct Customers: Sendable {
    let channel: ClientChannel

    /// Creates a customer; the number is assigned when `fields.number` is nil.
    public func create(_ fields: CustomerFields, options: CallOptions = CallOptions()) async throws -> Customer {
        try await channel.call(
            CustomerService.createCustomer, CreateCustomerRequest(fields: fields), options: options)
    }

    public func get(id: Int64, options: CallOptions = CallOptions()) async throws -> Customer {
        try await channel.call(
            CustomerService.getCustomer, GetCustomerRequest(id: id), options: options)
    }

    public func get(number: Int64, options: CallOptions = CallOptions()) async throws -> Customer {
        try await channel.call(
            CustomerService.getCustomer, GetCustomerRequest(number: number), options: options)
    }

    /// Changes only the fields given; an empty string clears an optional field.
    /// With `expectedVersion`, a concurrent change since is refused with ABORTED.
    public func update(
        id: Int64, _ fields: CustomerFields, expectedVersion: Int64? = nil, options: CallOptions = CallOptions()
    ) async throws -> Customer {
        try await channel.call(
            CustomerService.updateCustomer,
            UpdateCustomerRequest(id: id, expectedVersion: expectedVersion, fields: fields), options: options)
    }

    /// One page; pass the returned `nextPageToken` with the same query for the next one.
    public func list(
        _ query: CustomerQuery = CustomerQuery(), limit: Int? = nil, pageToken: String? = nil,
        options: CallOptions = CallOptions()
    ) async throws -> ListCustomersResponse {
        try await channel.call(
            CustomerService.listCustomers,
            ListCustomersRequest(query: query, limit: limit.map { Int32(clamping: $0) }, pageToken: pageToken),
            options: options)
    }

    /// Every matching customer, streamed with flow control: constant memory on both sides.
    public func stream(_ query: CustomerQuery = CustomerQuery(), options: CallOptions = CallOptions())
        -> ServerStreamResponse<Customer>
    {
        channel.call(
            CustomerService.streamCustomers, StreamCustomersRequest(query: query), options: options)
    }

    public func deactivate(id: Int64, expectedVersion: Int64? = nil, options: CallOptions = CallOptions())
        async throws -> Customer
    {
        try await channel.call(
            CustomerService.deactivateCustomer,
            SetCustomerActiveRequest(id: id, expectedVersion: expectedVersion), options: options)
    }

    public func activate(id: Int64, expectedVersion: Int64? = nil, options: CallOptions = CallOptions())
        async throws -> Customer
    {
        try await channel.call(
            CustomerService.activateCustomer,
            SetCustomerActiveRequest(id: id, expectedVersion: expectedVersion), options: options)
    }

    /// Deletes for good; refused unless `confirm` is true.
    public func delete(id: Int64, confirm: Bool, options: CallOptions = CallOptions()) async throws {
        _ = try await channel.call(
            CustomerService.deleteCustomer, DeleteCustomerRequest(id: id, confirm: confirm),
            options: options)
    }
}
