import Foundation

/// How invoices reach the customer.
public enum StoredInvoiceChannel: String, Sendable, Hashable, CaseIterable {
    case email, eInvoice, paper
}

/// A customer's default invoicing settings. Every setting is optional: `nil` means "not set",
/// and the invoicing side then uses the documented default (`CustomerSettings.default...`).
public struct StoredCustomerSettings: Sendable, Hashable {
    /// Used when `invoiceChannel` is not set: paper needs no address beyond the head office.
    public static let defaultInvoiceChannel = StoredInvoiceChannel.paper
    /// Used when `paymentTermDays` is not set.
    public static let defaultPaymentTermDays = 14
    /// Used when `currency` is not set.
    public static let defaultCurrency = "EUR"

    public var customerID: Int64
    public var invoiceChannel: StoredInvoiceChannel?
    /// Required when the channel is `email`.
    public var invoiceEmail: String?
    /// The e-invoice address (Finnish OVT/EDI code: 12-17 upper-case letters and digits); required for `eInvoice`.
    public var eInvoiceAddress: String?
    /// The e-invoice operator (its code or short name); required for `eInvoice`.
    public var eInvoiceOperator: String?
    /// 0...365.
    public var paymentTermDays: Int?
    /// ISO 4217, upper case.
    public var currency: String?
    /// Percent, 0...100, exact (stored as decimal text).
    public var vatRate: Decimal?
    /// ISO 639 code, 2-3 lower-case letters.
    public var invoiceLanguage: String?
    /// The customer's reference to print on invoices (at most 70 characters).
    public var reference: String?
    /// The name of the invoice template (at most 100 characters).
    public var invoiceTemplate: String?
    /// 0 while nothing was ever set (no stored row); then 1, +1 on every write.
    public var version: Int64
    /// nil while nothing was ever set.
    public var updatedAt: Date?
    public var updatedBy: StoredUserRef?

    public init(customerID: Int64, invoiceChannel: StoredInvoiceChannel? = nil, invoiceEmail: String? = nil,
                eInvoiceAddress: String? = nil, eInvoiceOperator: String? = nil, paymentTermDays: Int? = nil,
                currency: String? = nil, vatRate: Decimal? = nil, invoiceLanguage: String? = nil,
                reference: String? = nil, invoiceTemplate: String? = nil, version: Int64 = 0,
                updatedAt: Date? = nil, updatedBy: StoredUserRef? = nil) {
        self.customerID = customerID
        self.invoiceChannel = invoiceChannel
        self.invoiceEmail = invoiceEmail
        self.eInvoiceAddress = eInvoiceAddress
        self.eInvoiceOperator = eInvoiceOperator
        self.paymentTermDays = paymentTermDays
        self.currency = currency
        self.vatRate = vatRate
        self.invoiceLanguage = invoiceLanguage
        self.reference = reference
        self.invoiceTemplate = invoiceTemplate
        self.version = version
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// The channel to use: the set one or the default.
    public var effectiveInvoiceChannel: StoredInvoiceChannel { invoiceChannel ?? Self.defaultInvoiceChannel }
    /// The payment term to use: the set one or the default.
    public var effectivePaymentTermDays: Int { paymentTermDays ?? Self.defaultPaymentTermDays }
    /// The currency to use: the set one or the default.
    public var effectiveCurrency: String { currency ?? Self.defaultCurrency }
}

/// The input of `updateCustomerSettings`: `nil` leaves a setting unchanged; an empty (or blank)
/// string clears a text setting; `.some(nil)` clears the channel or the payment term.
public struct CustomerSettingsChanges: Sendable, Hashable {
    public var invoiceChannel: StoredInvoiceChannel??
    public var invoiceEmail: String?
    public var eInvoiceAddress: String?
    public var eInvoiceOperator: String?
    public var paymentTermDays: Int??
    public var currency: String?
    /// Decimal text with a dot or a comma, e.g. "25.5" or "24"; at most 4 decimals.
    public var vatRate: String?
    public var invoiceLanguage: String?
    public var reference: String?
    public var invoiceTemplate: String?

    public init(invoiceChannel: StoredInvoiceChannel?? = nil, invoiceEmail: String? = nil, eInvoiceAddress: String? = nil,
                eInvoiceOperator: String? = nil, paymentTermDays: Int?? = nil, currency: String? = nil,
                vatRate: String? = nil, invoiceLanguage: String? = nil, reference: String? = nil,
                invoiceTemplate: String? = nil) {
        self.invoiceChannel = invoiceChannel
        self.invoiceEmail = invoiceEmail
        self.eInvoiceAddress = eInvoiceAddress
        self.eInvoiceOperator = eInvoiceOperator
        self.paymentTermDays = paymentTermDays
        self.currency = currency
        self.vatRate = vatRate
        self.invoiceLanguage = invoiceLanguage
        self.reference = reference
        self.invoiceTemplate = invoiceTemplate
    }
}
