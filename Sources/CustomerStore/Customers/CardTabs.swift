/// A tab of the customer card that `cardTabs` can read.
public enum CardTabSelection: String, Sendable, Hashable, CaseIterable {
    case contactInformation, salesAndProjects, collaboration, financial, settings, files
}

/// The tabs of one customer's card asked for, read in ONE consistent snapshot. A tab not asked
/// for is nil (the server leaves out what the caller may not see, e.g. the financial tab).
///
/// `Customer` is what the read made of the customer's row: a ``StoredCustomer`` (with its head
/// office) from `cardTabs(customerID:now:tabs:from:to:)`, or `Void` from
/// `cardTabs(…lendingCustomer:…)`, whose closure was lent the row (a server writes the answer
/// from it and keeps nothing).
public struct CardTabs<Customer> {
    public var customer: Customer
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
    /// When the read lent the contact tab's activities (`cardTabs(…lendingActivity:)`): the lent
    /// rows' positions (0 for the first lent) in the list's order, the planned then the done.
    public var lentActivityOrder: [Int]?

    public init(customer: Customer, contactInformation: StoredContactInformation? = nil,
                salesAndProjects: SalesAndProjects? = nil, collaboration: [StoredCollaborationItem]? = nil,
                financial: FinancialSummary? = nil) {
        self.customer = customer
        self.contactInformation = contactInformation
        self.salesAndProjects = salesAndProjects
        self.collaboration = collaboration
        self.financial = financial
    }
}

extension CardTabs: Sendable where Customer: Sendable {}

extension CardTabs: Equatable where Customer: Equatable {
    public static func == (lhs: CardTabs, rhs: CardTabs) -> Bool {
        lhs.customer == rhs.customer && lhs.contactInformation == rhs.contactInformation
            && lhs.salesAndProjects == rhs.salesAndProjects && lhs.collaboration == rhs.collaboration
            && lhs.financial == rhs.financial && lhs.settings?.settings == rhs.settings?.settings
            && lhs.settings?.segments == rhs.settings?.segments && lhs.files?.files == rhs.files?.files
            && lhs.files?.links == rhs.files?.links
    }
}

extension CardTabs: Hashable where Customer: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(customer)
    }
}
