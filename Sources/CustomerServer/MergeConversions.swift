import CustomerAPI
import CustomerStore

extension DuplicatePair {
    init(_ stored: StoredDuplicatePair) {
        self.init(first: CustomerRef(stored.first), second: CustomerRef(stored.second), score: Int32(stored.score),
                  reasons: stored.reasons.map(\.rawValue))
    }
}

extension CustomerRef {
    init(_ stored: StoredCustomerRef) {
        self.init(id: stored.id, number: stored.number, name: stored.name)
    }
}

extension MergeCustomersResponse {
    init(_ stored: StoredCustomerMerge) {
        self.init(
            dryRun: stored.dryRun, kept: Customer(stored.kept), absorbedId: stored.absorbedID,
            moved: stored.moved.map { MergedRecords(kind: $0.kind.rawValue, ids: $0.ids) },
            filled: stored.filled.map(FieldChange.init),
            conflicts: stored.conflicts.map {
                MergeConflict(kind: $0.kind.rawValue, subject: $0.subject, kept: $0.kept, absorbed: $0.absorbed)
            })
    }
}
