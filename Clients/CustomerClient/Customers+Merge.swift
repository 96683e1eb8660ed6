/// Finding and merging duplicate customers (issue 18 §2).
extension Customers {
    /// One page of candidate duplicate pairs; pass the returned `nextPageToken` for the next one.
    public func findDuplicates(limit: Int? = nil, pageToken: String? = nil, options: CallOptions = CallOptions())
        async throws -> FindDuplicatesResponse
    {
        try await channel.call(
            CustomerService.findDuplicates,
            FindDuplicatesRequest(limit: limit.map { Int32(clamping: $0) }, pageToken: pageToken), options: options)
    }

    /// Merges `absorb` into `keep` (or, with `dryRun`, only says what that would do). Fields the
    /// kept customer lacks are filled from the absorbed one unless named in `doNotFill`.
    public func merge(keep: Int64, absorb: Int64, dryRun: Bool = false, doNotFill: [String] = [],
                      options: CallOptions = CallOptions()) async throws -> MergeCustomersResponse {
        try await channel.call(
            CustomerService.mergeCustomers,
            MergeCustomersRequest(keepId: keep, absorbId: absorb, dryRun: dryRun ? true : nil, doNotFill: doNotFill),
            options: options)
    }
}
