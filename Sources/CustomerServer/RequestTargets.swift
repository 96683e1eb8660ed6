import BinaryCoding
import CustomerAPI
import CustomerStore

// The customer record a request names, for requirements that cannot take a single id field.

/// A GetCustomer request with the customer it names by number read once, before the permission
/// check, so the check and the answer are about the same record: read twice, a renumbering in
/// between could let a caller with scope own pass the check for its customer and be handed another
/// customer that took the old number. The answer is written from that one read (its row is gone
/// afterwards); a refused caller never gets it.
struct CustomerLookup: Sendable {
    let request: GetCustomerRequest
    /// The customer `request.number` named when looked up, its id and its answer; nil when named
    /// by id, or when no customer had that number (the handler then answers as the store does).
    let numbered: (id: Int64, customer: EncodedMessage<Customer>)?

    init(_ request: GetCustomerRequest, in store: CustomerStore) {
        self.request = request
        // A failed lookup is not an answer yet: the requirement decides first, then the handler
        // reads again and reports NOT_FOUND (or the store's error) in its own words.
        numbered = request.id == nil ? request.number.flatMap { try? store.encodedCustomer(number: $0) } : nil
    }

    /// The customer by id or by number; nil when neither is given (the handler refuses that).
    var target: OwnedRecord? {
        if let id = request.id { return .customer(id: id) }
        guard let number = request.number else { return nil }
        return numbered.map { .customerNumbered(number, id: $0.id) } ?? .customerNumber(number)
    }
}

extension ListHistoryRequest {
    var target: OwnedRecord? {
        .history(entity.stored, id: id)
    }
}
