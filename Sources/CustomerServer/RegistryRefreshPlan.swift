import BusinessRegistry
import CustomerStore

/// What a registry refresh writes and says, from the registry's record and the differences found.
enum RegistryRefreshPlan {
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
