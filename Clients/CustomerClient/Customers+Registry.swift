extension Customers {
    /// Compares a customer in Finland or Norway with its national business registry (PRH's YTJ,
    /// Brønnøysund's Enhetsregisteret, asked by the customer's VAT number) and, unless `dryRun`,
    /// takes the registry's values of `fields` in one transaction; the history marks the change
    /// as coming from the registry.
    ///
    /// ```swift
    /// let preview = try await client.customers.refreshFromRegistry(id: 7, dryRun: true)
    /// for difference in preview.differences { print(difference.field, difference.current ?? "-", difference.registry ?? "-") }
    /// _ = try await client.customers.refreshFromRegistry(id: 7, fields: [.website])
    /// ```
    ///
    /// - Parameter fields: the fields to compare and refresh; empty (the default) means all four.
    /// - Throws: `RPCError`: FAILED_PRECONDITION for a customer outside Finland and Norway or
    ///   without a VAT number, INVALID_ARGUMENT for a VAT number with a wrong check digit,
    ///   NOT_FOUND when the registry does not know the company, UNAVAILABLE when it cannot be
    ///   reached or answers nonsense (the message names the URL), ABORTED when the customer
    ///   changed while the registry was asked.
    public func refreshFromRegistry(
        id: Int64, fields: [RefreshField] = [], dryRun: Bool = false, options: CallOptions = CallOptions()
    ) async throws -> RefreshFromRegistryResponse {
        try await channel.call(
            CustomerService.refreshFromRegistry,
            RefreshFromRegistryRequest(customerId: id, fields: fields, dryRun: dryRun), options: options)
    }
}
