/// A tab of the customer card that `cardTabs` can read.
public enum CardTabSelection: String, Sendable, Hashable, CaseIterable {
    case contactInformation, salesAndProjects, collaboration, financial
}

/// The tabs of one customer's card asked for, read in ONE consistent snapshot. A tab not asked
/// for is nil (the server leaves out what the caller may not see, e.g. the financial tab).
public struct CardTabs: Sendable, Hashable {
    /// With its head office; always read.
    public var customer: Customer
    public var contactInformation: ContactInformation?
    public var salesAndProjects: SalesAndProjects?
    /// Newest first.
    public var collaboration: [CollaborationItem]?
    /// Over all months.
    public var financial: FinancialSummary?

    public init(customer: Customer, contactInformation: ContactInformation? = nil,
                salesAndProjects: SalesAndProjects? = nil, collaboration: [CollaborationItem]? = nil,
                financial: FinancialSummary? = nil) {
        self.customer = customer
        self.contactInformation = contactInformation
        self.salesAndProjects = salesAndProjects
        self.collaboration = collaboration
        self.financial = financial
    }
}
