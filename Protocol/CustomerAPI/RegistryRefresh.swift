/// A customer field a national business registry can refresh.
///
/// Sent as its name (a string on the wire), so programs and JSON output read the same words.
public enum RefreshField: String, Codable, Sendable, CaseIterable {
    case name, address, email, website
}

/// `RefreshFromRegistry`: compares a Finnish or Norwegian customer with its national business
/// registry and, unless `dryRun`, takes the registry's values of the chosen fields and keeps the
/// company's standing (`Customer.registryStatus`). A dry run needs only Customers read.
///
/// Only for customers in Finland (FI, PRH's YTJ register) and Norway (NO, Brønnøysund's
/// Enhetsregisteret) with a VAT number; others are refused with FAILED_PRECONDITION.
public struct RefreshFromRegistryRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    /// The fields to compare and refresh; empty means all four. The name of a company the
    /// registry reports deregistered or being wound up is only taken when `name` is listed here.
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
    /// Why this difference is not taken although the field was chosen (a deregistered company's
    /// name when `name` was not listed explicitly; a registry value the customer's rules refuse,
    /// "the registry's value cannot be stored: …"); absent for a difference that is (or would be) taken.
    public var withheld: String?

    public init(field: RefreshField, current: String?, registry: String?, withheld: String? = nil) {
        self.field = field
        self.current = current
        self.registry = registry
        self.withheld = withheld
    }

    enum CodingKeys: Int, CodingKey { case field = 1, current = 2, registry = 3, withheld = 4 }
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

/// A proceeding the company is in, as the registry reports it.
public struct RegistrySituation: Codable, Sendable, Hashable {
    /// `bankruptcy`, `liquidation`, `restructuring`, `compulsory dissolution`, or `situation` for
    /// a code this server does not know.
    public var kind: String
    /// The registry's own code: `KONK`, `SELTILA`, `SANE` (PRH); `konkurs`, `underAvvikling`,
    /// `underTvangsavviklingEllerTvangsopplosning` (Brønnøysund).
    public var code: String
    /// `yyyy-MM-dd`, when the registry gives it.
    public var since: String?

    public init(kind: String, code: String, since: String?) {
        self.kind = kind
        self.code = code
        self.since = since
    }

    enum CodingKeys: Int, CodingKey { case kind = 1, code = 2, since = 3 }
}

/// The VAT register's word on the company (PRH's register 6, Brønnøysund's `registrertIMvaregisteret`).
public struct RegistryVATRegistration: Codable, Sendable, Hashable {
    public var registered: Bool
    /// When the entry began (registered) or ended (not registered), if the registry says.
    public var date: String?

    public init(registered: Bool, date: String?) {
        self.registered = registered
        self.date = date
    }

    enum CodingKeys: Int, CodingKey { case registered = 1, date = 2 }
}

/// The main unit a branch (Norway's underenhet) belongs to.
public struct RegistryParentUnit: Codable, Sendable, Hashable {
    public var businessId: String
    public var name: String?

    public init(businessId: String, name: String?) {
        self.businessId = businessId
        self.name = name
    }

    enum CodingKeys: Int, CodingKey { case businessId = 1, name = 2 }
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
    /// True when differences were written (not a dry run, and some were not withheld).
    public var applied: Bool
    /// Set when the registry reports the company ended or deleted.
    public var deregistered: RegistryDeregistration?
    /// Why email was not compared or not refreshed, when it was chosen: Finland's registry
    /// publishes no email addresses; a Norwegian company may have none registered.
    public var emailNote: String?
    public var registry: RegistrySource
    /// The customer after the call (unchanged on a dry run), with its head office.
    public var customer: Customer
    /// The company's standing in one line, the most serious first, as kept on the customer:
    /// `bankruptcy since 2024-01-15 (KONK); VAT-register entry ended on 2024-03-31`,
    /// `active; VAT registered since 1989-07-01`. Absent from servers before this field.
    public var standing: String?
    /// The proceedings in force, oldest first.
    public var situations: [RegistrySituation]
    /// Absent when the registry's answer says nothing about VAT registration.
    public var vatRegistration: RegistryVATRegistration?
    /// Set when the customer's number is a branch's: the main unit it belongs to.
    public var parent: RegistryParentUnit?
    /// What the caller should act on before money moves: a deregistration, proceedings in force,
    /// a VAT number the register does not back. (A withheld name is told by its difference.)
    public var warnings: [String]

    public init(differences: [RegistryDifference], applied: Bool, deregistered: RegistryDeregistration?,
                emailNote: String?, registry: RegistrySource, customer: Customer, standing: String? = nil,
                situations: [RegistrySituation] = [], vatRegistration: RegistryVATRegistration? = nil,
                parent: RegistryParentUnit? = nil, warnings: [String] = []) {
        self.differences = differences
        self.applied = applied
        self.deregistered = deregistered
        self.emailNote = emailNote
        self.registry = registry
        self.customer = customer
        self.standing = standing
        self.situations = situations
        self.vatRegistration = vatRegistration
        self.parent = parent
        self.warnings = warnings
    }

    enum CodingKeys: Int, CodingKey {
        case differences = 1, applied = 2, deregistered = 3, emailNote = 4, registry = 5, customer = 6
        case standing = 7, situations = 8, vatRegistration = 9, parent = 10, warnings = 11
    }
}
