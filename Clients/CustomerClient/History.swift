/// `customer.v1.HistoryService`: who changed what, when.
public struct History: Sendable {
    let channel: ClientChannel

    /// The entries of one customer, address or contact, oldest first.
    public func list(_ entity: HistoryEntry.Entity, id: Int64, options: CallOptions = CallOptions()) async throws -> [HistoryEntry] {
        try await channel.call(HistoryService.listHistory, ListHistoryRequest(entity: entity, id: id), options: options).entries
    }
}
