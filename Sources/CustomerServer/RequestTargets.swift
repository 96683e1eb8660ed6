import CustomerAPI
import CustomerStore

// The customer record a request names, for requirements that cannot take a single id field.

extension GetCustomerRequest {
    /// The customer by id or by number; nil when neither is given (the handler refuses that).
    var target: OwnedRecord? {
        id.map { .customer(id: $0) } ?? number.map { .customerNumber($0) }
    }
}

extension ListHistoryRequest {
    var target: OwnedRecord? {
        .history(entity.stored, id: id)
    }
}
