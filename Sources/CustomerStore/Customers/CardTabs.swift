/// A tab of the customer card that `cardTabs` can read.
public enum CardTabSelection: String, Sendable, Hashable, CaseIterable {
    case contactInformation, salesAndProjects, collaboration, financial, settings, files
}

/// The tabs of one customer's card asked for, read in ONE consistent snapshot. A tab not asked
/// for is nil (the server leaves out what the caller may not see, e.g. the financial tab).
public struct CardTabs: Sendable, Hashable {
    /// With its head office; always read.
    public var customer: StoredCustomer
    public var contactInformation: StoredContactInformation?
    public var salesAndProjects: SalesAndProjects?
    /// Newest first.
    public var collaboration: [StoredCollaborationItem]?
    /// Over the period asked for (all months when none).
    public var financial: FinancialSummary?
    /// The invoicing settings and the chosen market segments (sorted by path).
    public var settings: (settings: StoredCustomerSettings, segments: [StoredSegment])?
    /// Customer files and links and those of its projects.
    public var files: (files: [StoredFile], links: [StoredLink])?

    public init(customer: StoredCustomer, contactInformation: StoredContactInformation? = nil,
                salesAndProjects: SalesAndProjects? = nil, collaboration: [StoredCollaborationItem]? = nil,
                financial: FinancialSummary? = nil) {
        self.customer = customer
        self.contactInformation = contactInformation
        self.salesAndProjects = salesAndProjects
        self.collaboration = collaboration
        self.financial = financial
    }

    public static func == (lhs: CardTabs, rhs: CardTabs) -> Bool {
        lhs.customer == rhs.customer && lhs.contactInformation == rhs.contactInformation
            && lhs.salesAndProjects == rhs.salesAndProjects && lhs.collaboration == rhs.collaboration
            && lhs.financial == rhs.financial && lhs.settings?.settings == rhs.settings?.settings
            && lhs.settings?.segments == rhs.settings?.segments && lhs.files?.files == rhs.files?.files
            && lhs.files?.links == rhs.files?.links
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(customer)
    }
}
