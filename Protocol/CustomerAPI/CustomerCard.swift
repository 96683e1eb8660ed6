/// The tabs of the customer card a caller asks for.
public enum CardTab: Int, Codable, Sendable, CaseIterable {
    case contactInformation = 0, salesAndProjects = 1, collaboration = 2, financial = 3, settings = 4, files = 5
}

public struct GetCustomerCardRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    /// Default: every tab. A caller that asks for one tab pays only for that one.
    public var tabs: [CardTab]
    /// The financial tab's period (YYYY-MM, inclusive); default: every month with a forecast.
    public var from: String?
    public var to: String?

    public init(customerId: Int64, tabs: [CardTab] = [], from: String? = nil, to: String? = nil) {
        self.customerId = customerId
        self.tabs = tabs
        self.from = from
        self.to = to
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, tabs = 2, from = 3, to = 4 }
}

/// The contact-information tab: the customer, head office first, active contacts, activities.
public struct ContactInformation: Codable, Sendable, Hashable {
    public var addresses: [Address]
    public var contacts: [Contact]
    public var activities: ActivityList
    /// The customer's market segments, sorted by path (also on the settings tab).
    public var segments: [Segment]

    public init(addresses: [Address], contacts: [Contact], activities: ActivityList, segments: [Segment] = []) {
        self.addresses = addresses
        self.contacts = contacts
        self.activities = activities
        self.segments = segments
    }

    public var headOffice: Address? { addresses.first(where: \.isHeadOffice) }

    // Package-wide: the server writes the card's contact tab from the store's records.
    package enum CodingKeys: Int, CodingKey { case addresses = 1, contacts = 2, activities = 3, segments = 4 }
}

/// The customer card, read in one consistent snapshot; tabs not asked for are absent.
public struct CustomerCard: Codable, Sendable, Hashable {
    public var customer: Customer
    public var contactInformation: ContactInformation?
    public var salesAndProjects: ProjectList?
    public var collaboration: CollaborationTab?
    /// Absent when not asked for, and when the caller may not see financial figures (then
    /// `financialHidden` is true, so a client can show "no access" rather than nothing).
    public var financial: FinancialTab?
    public var settings: SettingsTab?
    public var files: FilesTab?
    public var financialHidden: Bool?

    public init(
        customer: Customer, contactInformation: ContactInformation? = nil, salesAndProjects: ProjectList? = nil,
        collaboration: CollaborationTab? = nil, financial: FinancialTab? = nil, settings: SettingsTab? = nil,
        files: FilesTab? = nil, financialHidden: Bool? = nil
    ) {
        self.customer = customer
        self.contactInformation = contactInformation
        self.salesAndProjects = salesAndProjects
        self.collaboration = collaboration
        self.financial = financial
        self.settings = settings
        self.files = files
        self.financialHidden = financialHidden
    }

    // Package-wide: the server writes the card's contact tab from the store's records.
    package enum CodingKeys: Int, CodingKey {
        case customer = 1, contactInformation = 2, salesAndProjects = 3, collaboration = 4, financial = 5
        case settings = 6, files = 7, financialHidden = 8
    }
}
