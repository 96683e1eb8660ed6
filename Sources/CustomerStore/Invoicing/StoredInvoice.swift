import Foundation

/// The head office address as an invoice copied it at issue time.
public struct InvoiceAddress: Sendable, Hashable {
    /// 0 to 3 street lines, in order.
    public var street: [String]
    public var postalCode: String?
    public var city: String?
    public var region: String?
    /// ISO 3166-1 alpha-2.
    public var country: String

    public init(street: [String], postalCode: String?, city: String?, region: String?, country: String) {
        self.street = street
        self.postalCode = postalCode
        self.city = city
        self.region = region
        self.country = country
    }
}

/// An issued invoice. Everything it says about the customer is a SNAPSHOT taken when it was issued:
/// editing the customer, moving or changing its head office, or deleting the contact later does
/// not change it (invoices keep what they said; bookkeeping law outranks the contact's erasure).
public struct StoredInvoice: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    /// From its own sequence, 1 upward; never reused.
    public var number: Int64
    public var issuedAt: Date
    public var issuedBy: StoredUserRef
    public var customerName: String
    public var customerNumber: Int64
    public var vatNumber: String?
    /// nil when the customer had no head office at issue time.
    public var headOffice: InvoiceAddress?
    public var contactID: Int64?
    /// "First Last" at issue time.
    public var contactName: String?
    /// The customer's invoicing settings at issue time, as the JSON object text the caller passed.
    public var settingsSnapshot: String?
    /// ISO 4217.
    public var currency: String
    public var total: Decimal
    public var description: String?

    public init(id: Int64, customerID: Int64, number: Int64, issuedAt: Date, issuedBy: StoredUserRef, customerName: String,
                customerNumber: Int64, vatNumber: String? = nil, headOffice: InvoiceAddress? = nil, contactID: Int64? = nil,
                contactName: String? = nil, settingsSnapshot: String? = nil, currency: String, total: Decimal,
                description: String? = nil) {
        self.id = id
        self.customerID = customerID
        self.number = number
        self.issuedAt = issuedAt
        self.issuedBy = issuedBy
        self.customerName = customerName
        self.customerNumber = customerNumber
        self.vatNumber = vatNumber
        self.headOffice = headOffice
        self.contactID = contactID
        self.contactName = contactName
        self.settingsSnapshot = settingsSnapshot
        self.currency = currency
        self.total = total
        self.description = description
    }
}
