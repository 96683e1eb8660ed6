/// The card's contact-information tab, read in one consistent snapshot.
public struct StoredContactInformation: Sendable, Hashable {
    /// With its head office.
    public var customer: StoredCustomer
    /// Head office first, then by id.
    public var addresses: [StoredAddress]
    /// Active, not deleted contacts (the normal view).
    public var contacts: [StoredContact]
    public var activities: StoredActivityList
    /// The customer's market segments, sorted by path: the main card shows them too.
    public var segments: [StoredSegment]

    public init(customer: StoredCustomer, addresses: [StoredAddress], contacts: [StoredContact],
                activities: StoredActivityList, segments: [StoredSegment] = []) {
        self.customer = customer
        self.addresses = addresses
        self.contacts = contacts
        self.activities = activities
        self.segments = segments
    }
}
