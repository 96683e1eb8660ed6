/// `customer.v1.CardService`: the customer card in one round trip and one snapshot.
public struct Cards: Sendable {
    let channel: ClientChannel

    /// The tabs asked for (default: all); `from`/`to` (YYYY-MM) bound the financial tab.
    public func get(
        customerID: Int64, tabs: [CardTab] = [], from: String? = nil, to: String? = nil, options: CallOptions = CallOptions()
    ) async throws -> CustomerCard {
        try await channel.call(
            CardService.getCustomerCard, GetCustomerCardRequest(customerId: customerID, tabs: tabs, from: from, to: to), options: options)
    }
}
