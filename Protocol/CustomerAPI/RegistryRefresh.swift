/// A customer field a national business registry can refresh.
///
/// Sent as its name (a string on the wire), so programs and JSON output read the same words.
public enum RefreshField: String, Codable, Sendable, CaseIterable {
    case name, address, email, website
}

/// `RefreshFromRegistry`: compares a Finnish or Norwegian customer with its national business
/// registry and, unless `dryRun`, takes the registry's values of the chosen fields.
///
/// Only for customers in Finland (FI, PRH's YTJ register) and Norway (NO, Brønnøysund's
/// Enhetsregisteret) with a VAT number; others are refused with FAILED_PRECONDITION.
public struct RefreshFromRegistryRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    /// The fields to compare and refresh; empty means all four.
    public var fields: [RefreshField]
    /// Only report the differences; write nothing.
    public var dryRun: Bool

    public init(customerId: Int64, fields: [RefreshField] = [], dryRun: Bool = false) {
        self.customerId = customerId
        self.fields = fields
        self.dryRun = dryRun
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, fields = 2, dryRun = 3 }
}

/// One field whose registry value differs from the customer's, both in display form (an address
/// as one line: `Karakaari 7, 02610 ESPOO, FI`).
public struct RegistryDifference: Codable, Sendable, Hashable {
    public var field: RefreshField
    /// The customer's value before the refresh; absent when it had none.
    public var current: String?
    /// The registry's value.
    public var registry: String?

    public init(field: RefreshField, current: String?, registry: String?) {
        self.field = field
        self.current = current
        self.registry = registry
    }

    enum CodingKeys: Int, CodingKey { case field = 1, current = 2, registry = 3 }
}

/// The registry's statement that the company has ended. Reported only: the refresh never
/// deactivates the customer.
public struct RegistryDeregistration: Codable, Sendable, Hashable {
    /// `yyyy-MM-dd` as the registry gives it, when it gives one.
    public var date: String?
    public var reason: String

    public init(date: String?, reason: String) {
        self.date = date
        self.reason = reason
    }

    enum CodingKeys: Int, CodingKey { case date = 1, reason = 2 }
}

/// Which registry answered, and the exact URL that was asked.
public struct RegistrySource: Codable, Sendable, Hashable {
    /// `PRH YTJ open data v3` or `Brønnøysund Enhetsregisteret`.
    public var name: String
    public var url: String

    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }

    enum CodingKeys: Int, CodingKey { case name = 1, url = 2 }
}

public struct RefreshFromRegistryResponse: Codable, Sendable, Hashable {
    /// The chosen fields whose registry value differs, in the order name, address, email, website.
    /// A field the registry has no value for is not a difference: a refresh never clears a field.
    public var differences: [RegistryDifference]
    /// True when the differences were written (not a dry run, and there were some).
    public var applied: Bool
    /// Set when the registry reports the company ended or deleted.
    public var deregistered: RegistryDeregistration?
    /// Why email was not compared or not refreshed, when it was chosen: Finland's registry
    /// publishes no email addresses; a Norwegian company may have none registered.
    public var emailNote: String?
    public var registry: RegistrySource
    /// The customer after the call (unchanged on a dry run), with its head office.
    public var customer: Customer

    public init(differences: [RegistryDifference], applied: Bool, deregistered: RegistryDeregistration?,
                emailNote: String?, registry: RegistrySource, customer: Customer) {
        self.differences = differences
        self.applied = applied
        self.deregistered = deregistered
        self.emailNote = emailNote
        self.registry = registry
        self.customer = customer
    }

    enum CodingKeys: Int, CodingKey {
        case differences = 1, applied = 2, deregistered = 3, emailNote = 4, registry = 5, customer = 6
    }
}
