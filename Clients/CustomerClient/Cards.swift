/// `customer.v1.CardService`: the customer card in one round trip and one snapshot.
public struct Cards: Sendable {
    let channel: ClientChannel

    /// The tabs asked for (default: all).
    public func get(customerID: Int64, tabs: [CardTab] = [], options: CallOptions = CallOptions()) async throws -> CustomerCard {
        try await channel.call(CardService.getCustomerCard, GetCustomerCardRequest(customerId: customerID, tabs: tabs), options: options)
    }
}
