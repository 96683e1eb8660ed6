/// A new customer's fields, checked and canonicalised, with the parts of its rows that need no
/// database: its match keys, its search parts and its created entry's changes but for what the
/// writer adds. Made before the writer takes the customer: on a create's connection thread
/// (`CustomerStore.createCustomer`), on an import's producer thread (`CustomerImporter.prepare`).
///
/// Why: the group-commit writer is the one thread every create passes through, so what it does
/// bounds creates per second (issue 15: 50 000/s is 20 µs of the writer a create). Folding the
/// name for its keys and search text and encoding the entry's changes cost a create ~12 700 of
/// the writer's instructions (callgrind, docs/performance/HISTORY.md "create19"); the connection threads
/// run side by side.
struct PreparedCustomer: Sendable {
    /// Checked (`CustomerValidator`) and with its VAT number canonical for its country.
    let fields: StoredCustomerFields
    /// What the checks refused; the writer adds what the references' checks refuse.
    let violations: [FieldViolation]
    /// Nil, like `search`, when the customer will not be written (refused already).
    let matchKeys: [MatchKey]?
    let search: SearchKey.SearchParts?
    let createdChanges: CreatedCustomerChanges

    /// - Parameter writable: whether the customer can still be written (nothing refused it so
    ///   far): only then are its keys and search parts worth making.
    init(fields: StoredCustomerFields, violations: [FieldViolation], writable: Bool) {
        self.fields = fields
        self.violations = violations
        matchKeys = writable ? CustomerStore.matchKeys(of: fields) : nil
        search = writable ? SearchKey.SearchParts(fields) : nil
        createdChanges = CreatedCustomerChanges(fields)
    }
}

extension CustomerStore {
    /// A create's customer validated and prepared (see ``PreparedCustomer``).
    func prepare(_ new: NewCustomer) -> PreparedCustomer {
        var (fields, violations) = CustomerValidator.validate(new)
        canonicaliseVATNumber(&fields, violations: &violations)
        return PreparedCustomer(fields: fields, violations: violations, writable: violations.isEmpty)
    }
}
