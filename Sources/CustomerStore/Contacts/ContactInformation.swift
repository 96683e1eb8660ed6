/// The card's contact-information tab, read in one consistent snapshot.
public struct ContactInformation: Sendable, Hashable {
    /// With its head office.
    public var customer: Customer
    /// Head office first, then by id.
    public var addresses: [Address]
    /// Active, not deleted contacts (the normal view).
    public var contacts: [Contact]
    public var activities: ActivityList

    public init(customer: Customer, addresses: [Address], contacts: [Contact], activities: ActivityList) {
        self.customer = customer
        self.addresses = addresses
        self.contacts = contacts
        self.activities = activities
    }
}
