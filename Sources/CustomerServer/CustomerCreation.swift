import CustomerAPI

/// A CreateCustomer request with the account manager it names looked up, once: what the
/// permission check and the handler both get (see `NamedUser`).
struct CustomerCreation: Sendable {
    let request: CreateCustomerRequest
    /// nil when the request names no account manager.
    let accountManager: NamedUser?
}
