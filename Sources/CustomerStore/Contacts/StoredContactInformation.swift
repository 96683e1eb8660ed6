/// The card's contact-information tab, read in one consistent snapshot with its customer (which
/// the card holds: see ``CardTabs``).
public struct StoredContactInformation: Sendable, Hashable {
    /// Head office first, then by id.
    public var addresses: [StoredAddress]
    /// Active, not deleted contacts (the normal view).
    public var contacts: [StoredContact]
    public var activities: StoredActivityList
    /// The customer's market segments, sorted by path: the main card shows them too.
    public var segments: [StoredSegment]

    public init(addresses: [StoredAddress], contacts: [StoredContact], activities: StoredActivityList,
                segments: [StoredSegment] = []) {
        self.addresses = addresses
        self.contacts = contacts
        self.activities = activities
        self.segments = segments
    }
}
