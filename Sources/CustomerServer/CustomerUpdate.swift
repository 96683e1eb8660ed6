import CustomerAPI

/// An UpdateCustomer request with the account manager it names looked up, once: what the
/// permission check and the handler both get (see `NamedUser`), as `CustomerCreation` is for a
/// create. With own scope the check keeps the caller the customer's account manager, so an update
/// cannot hand a customer to someone else (or to nobody), which a create could not do either.
struct CustomerUpdate: Sendable {
    let request: UpdateCustomerRequest
    let accountManager: AccountManagerChange

    /// What the request does to the customer's account manager.
    enum AccountManagerChange: Sendable {
        /// The request leaves the account manager as it is.
        case kept
        /// An empty name: the customer has no account manager afterwards.
        case cleared
        case named(NamedUser)
    }
}
