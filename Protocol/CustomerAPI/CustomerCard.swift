/// The tabs of the customer card a caller asks for.
public enum CardTab: Int, Codable, Sendable, CaseIterable {
    case contactInformation = 0
}

public struct GetCustomerCardRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    /// Default: every tab.
    public var tabs: [CardTab]

    public init(customerId: Int64, tabs: [CardTab] = []) {
        self.customerId = customerId
        self.tabs = tabs
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, tabs = 2 }
}

/// The contact-information tab: the customer, head office first, active contacts, activities.
public struct ContactInformation: Codable, Sendable, Hashable {
    public var addresses: [Address]
    public var contacts: [Contact]
    public var activities: ActivityList

    public init(addresses: [Address], contacts: [Contact], activities: ActivityList) {
        self.addresses = addresses
        self.contacts = contacts
        self.activities = activities
    }

    public var headOffice: Address? { addresses.first(where: \.isHeadOffice) }

    enum CodingKeys: Int, CodingKey { case addresses = 1, contacts = 2, activities = 3 }
}

/// The customer card, read in one consistent snapshot; tabs not asked for are absent.
public struct CustomerCard: Codable, Sendable, Hashable {
    public var customer: Customer
    public var contactInformation: ContactInformation?

    public init(customer: Customer, contactInformation: ContactInformation?) {
        self.customer = customer
        self.contactInformation = contactInformation
    }

    enum CodingKeys: Int, CodingKey { case customer = 1, contactInformation = 2 }
}
