/// A registry's statement about a company's standing, beyond its name and addresses: insolvency
/// and winding-up proceedings, VAT registration, and for a branch the unit it belongs to.

/// A proceeding the company is in: what decides whether money should move to or from it.
public struct CompanySituation: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case bankruptcy, liquidation, restructuring
        /// Norway's compulsory winding-up or dissolution (tvangsavvikling, tvangsoppløsning).
        case compulsoryDissolution = "compulsory dissolution"
        /// A code the registry documents later than this code was written; shown as the code.
        case other
    }

    public var kind: Kind
    /// The registry's own code: PRH's `KONK`, `SELTILA`, `SANE`; Brønnøysund's field name
    /// (`konkurs`, `underAvvikling`, `underTvangsavviklingEllerTvangsopplosning`).
    public var code: String
    /// The date it began (`yyyy-MM-dd`), when the registry gives one.
    public var since: String?

    public init(kind: Kind, code: String, since: String?) {
        self.kind = kind
        self.code = code
        self.since = since
    }

    /// `bankruptcy since 2024-01-15 (KONK)`.
    public var summary: String {
        let name = kind == .other ? "situation" : kind.rawValue
        return name + (since.map { " since \($0)" } ?? "") + " (\(code))"
    }

    /// Situations that end the company or hand it to an administrator: its registered name is
    /// then often the estate's (`... KONKURSBO`, `... UNDER AVVIKLING`), not the trading name.
    public var windsUpTheCompany: Bool {
        kind == .bankruptcy || kind == .liquidation || kind == .compulsoryDissolution
    }
}

/// Whether the registry has the company in its country's VAT register.
public struct VATRegistration: Sendable, Equatable {
    public var registered: Bool
    /// When the entry began (registered) or ended (not registered), if the registry says.
    public var date: String?

    public init(registered: Bool, date: String?) {
        self.registered = registered
        self.date = date
    }

    /// `VAT registered since 1994-06-01`, `VAT-register entry ended on 2024-03-31`, `not VAT registered`.
    public var summary: String {
        if registered { return "VAT registered" + (date.map { " since \($0)" } ?? "") }
        return date.map { "VAT-register entry ended on \($0)" } ?? "not VAT registered"
    }
}

/// The main unit a branch (Norway's underenhet) belongs to.
public struct ParentUnit: Sendable, Equatable {
    public var businessID: String
    /// The parent's name, when the registry could be asked for it.
    public var name: String?

    public init(businessID: String, name: String?) {
        self.businessID = businessID
        self.name = name
    }
}

extension RegistryRecord {
    /// The standing in one line, the most serious first:
    /// `deregistered on 2023-11-30`, `bankruptcy since 2024-01-15 (KONK); not VAT registered`,
    /// `active; VAT registered since 1989-07-01`, `active; branch of 923609016 EQUINOR ASA`.
    public var standing: String {
        var parts: [String] = []
        if let ended = deregistered {
            parts.append("deregistered" + (ended.date.map { " on \($0)" } ?? ""))
        }
        parts += situations.map(\.summary)
        if parts.isEmpty { parts.append("active") }
        if let parent {
            parts.append("branch of \(parent.businessID)" + (parent.name.map { " \($0)" } ?? ""))
        }
        if let vatRegistration { parts.append(vatRegistration.summary) }
        return parts.joined(separator: "; ")
    }
}
