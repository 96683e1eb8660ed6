/// `customer.v1.SettingsService` as Swift calls.
public struct Settings: Sendable {
    let channel: ClientChannel

    public func get(customerID: Int64, options: CallOptions = CallOptions()) async throws -> CustomerSettings {
        try await channel.call(SettingsService.getSettings, CustomerIDRequest(customerId: customerID), options: options)
    }

    public func update(customerID: Int64, _ fields: CustomerSettingsFields, expectedVersion: Int64? = nil, options: CallOptions = CallOptions())
        async throws -> CustomerSettings
    {
        try await channel.call(
            SettingsService.updateSettings,
            UpdateCustomerSettingsRequest(customerId: customerID, expectedVersion: expectedVersion, fields: fields), options: options)
    }

    public func createSegment(_ name: String, parentID: Int64? = nil, options: CallOptions = CallOptions()) async throws -> Segment {
        try await channel.call(SettingsService.createSegment, CreateSegmentRequest(name: name, parentId: parentID), options: options)
    }

    public func updateSegment(_ request: UpdateSegmentRequest, options: CallOptions = CallOptions()) async throws -> Segment {
        try await channel.call(SettingsService.updateSegment, request, options: options)
    }

    @discardableResult
    public func deleteSegment(id: Int64, force: Bool = false, options: CallOptions = CallOptions()) async throws -> [Segment] {
        try await channel.call(SettingsService.deleteSegment, DeleteSegmentRequest(id: id, force: force), options: options).segments
    }

    public func segments(options: CallOptions = CallOptions()) async throws -> [Segment] {
        try await channel.call(SettingsService.listSegments, EmptyRequest(), options: options).segments
    }

    /// Replaces the customer's segments; returns them with their paths.
    @discardableResult
    public func setCustomerSegments(customerID: Int64, _ segmentIDs: [Int64], options: CallOptions = CallOptions()) async throws -> [Segment] {
        try await channel.call(
            SettingsService.setCustomerSegments, SetCustomerSegmentsRequest(customerId: customerID, segmentIds: segmentIDs), options: options
        ).segments
    }

    public func createIndustry(_ name: String, options: CallOptions = CallOptions()) async throws -> Industry {
        try await channel.call(SettingsService.createIndustry, IndustryRequest(name: name), options: options)
    }

    public func renameIndustry(_ name: String, to newName: String, options: CallOptions = CallOptions()) async throws -> Industry {
        try await channel.call(SettingsService.renameIndustry, IndustryRequest(name: name, newName: newName), options: options)
    }

    @discardableResult
    public func deleteIndustry(_ name: String, force: Bool = false, options: CallOptions = CallOptions()) async throws -> [Industry] {
        try await channel.call(SettingsService.deleteIndustry, IndustryRequest(name: name, force: force), options: options).industries
    }

    public func industries(options: CallOptions = CallOptions()) async throws -> [Industry] {
        try await channel.call(SettingsService.listIndustries, EmptyRequest(), options: options).industries
    }
}
