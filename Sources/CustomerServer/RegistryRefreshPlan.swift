import BusinessRegistry
import CustomerAPI
import CustomerStore
import ServiceLog

/// What a registry refresh writes and says, from the registry's record and the differences found.
@_spi(Fuzzing) public enum RegistryRefreshPlan {
    /// One refresh's comparison and what it writes.
    public struct Plan: Sendable {
        /// The fields compared: those the request lists, or all.
        public let fields: Set<RegistryField>
        /// The differences from the registry's values (a field the registry has no value for is left out).
        public let differences: [RegistryDiff]
        /// Why a difference is not taken, by field: a wound-up company's name (see `withheldName`),
        /// or a registry value the store's rules refuse (`RegistryUpdate.refusals`).
        public let withheld: [RegistryField: String]
        /// Whether the update takes any field's value (the standing is written by every refresh).
        public let changesFields: Bool
        /// The company's standing as stored and answered: the registry's words with what a terminal
        /// would act on made visible (`TerminalText`), as every stored text is one line without
        /// control characters (a registry's date was taken as it came: `"slettedato": "\u007f"`).
        public let standing: String
        /// The store update to apply; nil for a dry run.
        public let update: RegistryUpdate?
    }

    /// The refresh `request` asks of `customer`, given the registry's `record`: what the handler
    /// applies once the registry has answered (and the `refresh` fuzz target after it).
    public static func plan(_ request: RefreshFromRegistryRequest, for customer: StoredCustomer,
                            from record: RegistryRecord) -> Plan {
        let explicit = Set(request.fields.map(\.registryField))
        let fields = explicit.isEmpty ? Set(RegistryField.allCases) : explicit
        // A field the registry has no value for is not refreshed: an unregistered website or a
        // deleted company's missing address says nothing about the customer's own.
        let differences = RegistryDiff.differences(current: customer.registryValues, registry: record, fields: fields)
            .filter { $0.registry != nil }
        var withheld: [RegistryField: String] = [:]
        withheld[.name] = withheldName(record, explicitlyChosen: explicit.contains(.name))
        var update = Self.update(for: differences.filter { withheld[$0.field] == nil }, from: record)
        // A registry's value the store would refuse (a control character in a name, a website
        // that is not http) is not taken, saying why; the other fields and the standing are.
        for (value, reason) in update.refusals {
            let refused = "the registry's value cannot be stored: \(reason)"
            switch value {
            case .name: (update.name, withheld[.name]) = (nil, refused)
            case .email: (update.email, withheld[.email]) = (nil, refused)
            case .website: (update.website, withheld[.website]) = (nil, refused)
            case .headOffice: (update.headOffice, withheld[.address]) = (nil, refused)
            }
        }
        let standing = TerminalText.escaped(record.standing)
        update.status = standing
        let changesFields = differences.contains { withheld[$0.field] == nil }
        return Plan(fields: fields, differences: differences, withheld: withheld, changesFields: changesFields,
                    standing: standing, update: request.dryRun ? nil : update)
    }

    /// The store update for `differences` (already limited to the chosen fields), taking each
    /// value from `record`; every history entry it writes names the registry and URL.
    static func update(for differences: [RegistryDiff], from record: RegistryRecord) -> RegistryUpdate {
        var update = RegistryUpdate(source: "registry: \(record.registry) \(record.sourceURL.absoluteString)")
        for difference in differences {
            switch difference.field {
            case .name: update.name = record.officialName
            case .email: update.email = record.email
            case .website: update.website = record.website
            case .address:
                // The street (visiting) address when the registry has one, else the postal address.
                update.headOffice = record.preferredAddress.map {
                    RegistryHeadOffice(street: $0.lines, postalCode: $0.postalCode, city: $0.city, country: $0.country,
                                       kind: record.streetAddress == nil ? .postal : .visiting)
                }
            }
        }
        return update
    }

    /// Why the registry's name is not taken although `name` was among the fields: the company is
    /// deregistered or being wound up, so its registered name is an estate's or an ended one
    /// (`... UNDER SLETTING`, `... KONKURSBO`). `nil` when it may be taken, or when the caller
    /// listed `name` explicitly (then the caller knows).
    static func withheldName(_ record: RegistryRecord, explicitlyChosen: Bool) -> String? {
        guard !explicitlyChosen else { return nil }
        if record.deregistered != nil {
            return "the company is deregistered: its name is taken only with --fields name"
        }
        if let situation = record.situations.first(where: \.windsUpTheCompany) {
            return "the company is in \(situation.kind.rawValue): its name is taken only with --fields name"
        }
        return nil
    }

    /// What the caller should act on before money moves to or from the company.
    static func warnings(for record: RegistryRecord, customerVATNumber: String?) -> [String] {
        var warnings: [String] = []
        if let ended = record.deregistered {
            warnings.append("the company is deregistered" + (ended.date.map { " since \($0)" } ?? "")
                + ": \(ended.reason); the customer was not deactivated")
        }
        for situation in record.situations {
            warnings.append("the company is in \(situation.summary)")
        }
        if let vat = record.vatRegistration, !vat.registered, let customerVATNumber {
            warnings.append("the customer's VAT number \(customerVATNumber) is not backed by the VAT register "
                + "(\(vat.summary)): do not invoice it as VAT registered")
        }
        return warnings
    }

    /// Why the email was not compared or will not be refreshed; `nil` when the registry gave one.
    static func emailNote(for record: RegistryRecord) -> String? {
        switch record.emailAvailability {
        case .provided:
            return nil
        case .notProvidedByRegistry:
            return "\(record.registry) publishes no email addresses (Finland's registry has none): "
                + "the email was not compared and stays as it is"
        case .notRegistered:
            return "\(record.registry) has no email address registered for this company: the email stays as it is"
        }
    }
}
