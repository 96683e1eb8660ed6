extension Customers {
    /// Imports customers: `rows` calls `send` with batches of records (at most
    /// `ImportCustomersMessage.maxRows`, 1 000, each: one message per batch) and the server checks
    /// and writes them as `options` says, all in one transaction.
    /// A message holds at most 131 072 field occurrences (PROTOCOL.md §9): a row takes 32 at most,
    /// plus one per contact keyword and role.
    ///
    /// Unless a dry run, the call carries an idempotency key (a new one when `callOptions` has
    /// none) and runs again with the same key while it fails UNAVAILABLE, so `rows` must be able to
    /// produce the same batches again from the start. An all-or-nothing import with a bad row
    /// throws INVALID_ARGUMENT with a detail per problem, field `line N: column`.
    public func importRecords(
        _ options: ImportOptions, callOptions: CallOptions = CallOptions(),
        rows: @escaping (_ send: ([CustomerRecord]) async throws -> Void) async throws -> Void
    ) async throws -> ImportCustomersResponse {
        let attempt = { (keyed: CallOptions) async throws -> ImportCustomersResponse in
            try await channel.clientStreaming(CustomerService.importCustomers, options: keyed) {
                (sender: ClientStreamSender<ImportCustomersMessage>) in
                try await sender.send(ImportCustomersMessage(options: options))
                try await rows { batch in try await sender.send(ImportCustomersMessage(rows: batch)) }
            }
        }
        guard options.dryRun != true else { return try await attempt(callOptions) }
        return try await channel.keyedRetries(callOptions, attempt)
    }

    /// Every matching customer as an import takes it (head office and first contact included), streamed.
    public func export(_ query: CustomerQuery = CustomerQuery(), options: CallOptions = CallOptions())
        -> ServerStreamResponse<CustomerRecord>
    {
        channel.call(CustomerService.exportCustomers, StreamCustomersRequest(query: query), options: options)
    }
}
