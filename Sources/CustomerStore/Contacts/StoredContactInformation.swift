/// The card's contact-information tab, read in one consistent snapshot.
public struct StoredContactInformation: Sendable, Hashable {
    /// With its head office.
    public var customer: StoredCustomer
    /// Head office first, then by id.
    public var addresses: [StoredAddress]
    /// Active, not deleted contacts (the normal view).
    public var contacts: [StoredContact]
    public var activities: StoredActivityList

    public init(customer: StoredCustomer, addresses: [StoredAddress], contacts: [StoredContact], activities: StoredActivityList) {
        self.customer = customer
        self.addresses = addresses
        self.contacts = contacts
        self.activities = activities
    }
}
