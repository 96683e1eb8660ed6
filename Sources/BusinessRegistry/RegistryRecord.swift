import Foundation

/// What a national business registry says about one company, in one shape for every country.
public struct RegistryRecord: Sendable, Equatable {
    /// The business id the registry answered for (`0112038-9`, `923609016`).
    public var businessID: String
    /// The current official name (never a former, ended or auxiliary one); `nil` when the
    /// registry gives none in force (a deleted company's names have all ended).
    public var officialName: String?
    /// The street (visiting) address: Finland's address type 1, Norway's `forretningsadresse`.
    public var streetAddress: RegistryAddress?
    /// The postal address: Finland's address type 2, Norway's `postadresse`.
    public var postalAddress: RegistryAddress?
    /// The registered email address, if the registry has one.
    public var email: String?
    /// Whether `email` being `nil` means "none registered" or "this registry has no email at all".
    public var emailAvailability: EmailAvailability
    /// The registered website as the registry writes it (often without a scheme: `www.nokia.com`).
    public var website: String?
    /// Set when the registry reports the company as ended or deleted; reported, never applied.
    public var deregistered: Deregistration?
    /// The proceedings in force (bankruptcy, liquidation, restructuring), oldest first.
    public var situations: [CompanySituation]
    /// The VAT register's word on the company; `nil` when the registry's answer says nothing.
    public var vatRegistration: VATRegistration?
    /// Set when the number is a branch's (Norway's underenhet): the unit it belongs to.
    public var parent: ParentUnit?
    /// Which registry answered, e.g. `PRH YTJ open data v3` or `Brønnøysund Enhetsregisteret`.
    public var registry: String
    /// The exact URL that was asked.
    public var sourceURL: URL

    public init(businessID: String, officialName: String?, streetAddress: RegistryAddress?,
                postalAddress: RegistryAddress?, email: String?, emailAvailability: EmailAvailability,
                website: String?, deregistered: Deregistration?, situations: [CompanySituation] = [],
                vatRegistration: VATRegistration? = nil, parent: ParentUnit? = nil, registry: String, sourceURL: URL) {
        self.businessID = businessID
        self.officialName = officialName
        self.streetAddress = streetAddress
        self.postalAddress = postalAddress
        self.email = email
        self.emailAvailability = emailAvailability
        self.website = website
        self.deregistered = deregistered
        self.situations = situations
        self.vatRegistration = vatRegistration
        self.parent = parent
        self.registry = registry
        self.sourceURL = sourceURL
    }

    /// The address a customer record takes from the registry: the street address, else the postal one.
    public var preferredAddress: RegistryAddress? { streetAddress ?? postalAddress }
}

/// A postal address as a registry gives it.
public struct RegistryAddress: Sendable, Equatable {
    /// Street, building, box or c/o lines, in order, without postal code and city.
    public var lines: [String]
    public var postalCode: String?
    public var city: String?
    /// ISO 3166 alpha-2 country code.
    public var country: String

    public init(lines: [String], postalCode: String?, city: String?, country: String) {
        self.lines = lines
        self.postalCode = postalCode
        self.city = city
        self.country = country
    }

    /// One line for people: `Karakaari 7, 02610 ESPOO, FI`.
    public var singleLine: String {
        let place = [postalCode, city].compactMap { $0 }.joined(separator: " ")
        return (lines + [place, country]).filter { !$0.isEmpty }.joined(separator: ", ")
    }
}

/// Why a record has or lacks an email address.
public enum EmailAvailability: Sendable, Equatable {
    /// The registry gave an email address.
    case provided
    /// The registry keeps email addresses, but none is registered for this company.
    case notRegistered
    /// The registry never publishes email addresses (Finland's PRH open data).
    case notProvidedByRegistry
}

/// A registry's statement that the company has ended.
public struct Deregistration: Sendable, Equatable {
    /// The date as the registry gives it (`yyyy-MM-dd`), if it gives one.
    public var date: String?
    /// What the registry said, in English.
    public var reason: String

    public init(date: String?, reason: String) {
        self.date = date
        self.reason = reason
    }
}
