import Foundation

/// An issued invoice. What it says about the customer, its head office, the contact and the
/// invoicing settings is a snapshot taken when it was issued: later edits, and deleting the
/// contact, do not change it.
public struct Invoice: Codable, Sendable, Hashable {
    public var id: Int64
    public var customerId: Int64
    public var number: Int64
    public var issuedAt: Date
    public var issuedBy: UserRef
    public var customerName: String
    public var headOffice: String?
    public var contactName: String?
    public var settings: CustomerSettings?
    public var currency: String
    /// Absent when the caller may not see financial figures (see `moneyHidden`).
    public var total: Decimal?
    public var description: String?
    public var moneyHidden: Bool?

    public init(
        id: Int64, customerId: Int64, number: Int64, issuedAt: Date, issuedBy: UserRef, customerName: String,
        headOffice: String?, contactName: String?, settings: CustomerSettings?, currency: String, total: Decimal?,
        description: String?, moneyHidden: Bool? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.number = number
        self.issuedAt = issuedAt
        self.issuedBy = issuedBy
        self.customerName = customerName
        self.headOffice = headOffice
        self.contactName = contactName
        self.settings = settings
        self.currency = currency
        self.total = total
        self.description = description
        self.moneyHidden = moneyHidden
    }

    enum CodingKeys: Int, CodingKey {
        case id = 1, customerId = 2, number = 3, issuedAt = 4, issuedBy = 5, customerName = 6, headOffice = 7
        case contactName = 8, settings = 9, currency = 10, total = 11, description = 12, moneyHidden = 13
    }
}

public struct IssueInvoiceRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    public var contactId: Int64?
    public var total: Decimal
    /// Default: the customer's invoicing currency.
    public var currency: String?
    public var description: String?

    public init(customerId: Int64, contactId: Int64? = nil, total: Decimal, currency: String? = nil, description: String? = nil) {
        self.customerId = customerId
        self.contactId = contactId
        self.total = total
        self.currency = currency
        self.description = description
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, contactId = 2, total = 3, currency = 4, description = 5 }
}

public struct InvoiceIDRequest: Codable, Sendable, Hashable {
    public var id: Int64

    public init(id: Int64) { self.id = id }

    enum CodingKeys: Int, CodingKey { case id = 1 }
}

public struct InvoiceList: Codable, Sendable, Hashable {
    public var invoices: [Invoice]

    public init(invoices: [Invoice]) { self.invoices = invoices }

    enum CodingKeys: Int, CodingKey { case invoices = 1 }
}
