/// The four customer fields a registry can refresh.
public enum RegistryField: String, Sendable, Hashable, CaseIterable {
    case name, address, email, website
}

/// A customer's current values of the refreshable fields, as the server holds them.
public struct CustomerRegistryValues: Sendable, Equatable {
    public var name: String?
    public var address: RegistryAddress?
    public var email: String?
    public var website: String?

    public init(name: String?, address: RegistryAddress?, email: String?, website: String?) {
        self.name = name
        self.address = address
        self.email = email
        self.website = website
    }
}

/// One field whose registry value differs from the customer's, in display form (for dry runs).
public struct RegistryDiff: Sendable, Equatable {
    public var field: RegistryField
    public var current: String?
    public var registry: String?

    public init(field: RegistryField, current: String?, registry: String?) {
        self.field = field
        self.current = current
        self.registry = registry
    }

    /// The differences between `current` and `registry` for the chosen `fields`, in
    /// `RegistryField.allCases` order.
    ///
    /// Names compare exactly (after collapsing whitespace), since a refresh would change their
    /// case; addresses and emails ignore case; websites also ignore `http(s)://` and a trailing
    /// `/`. The address compared is the registry's street address, else its postal address.
    /// Email is skipped when the registry publishes none (Finland): it is not a difference.
    public static func differences(current: CustomerRegistryValues, registry: RegistryRecord,
                                   fields: Set<RegistryField> = Set(RegistryField.allCases)) -> [RegistryDiff] {
        RegistryField.allCases.filter(fields.contains).compactMap { field in
            switch field {
            case .name:
                return diff(field, current.name, registry.officialName, key: collapsed)
            case .address:
                return diff(field, current.address?.singleLine, registry.preferredAddress?.singleLine) {
                    collapsed($0).lowercased()
                }
            case .email:
                guard registry.emailAvailability != .notProvidedByRegistry else { return nil }
                return diff(field, current.email, registry.email) { collapsed($0).lowercased() }
            case .website:
                return diff(field, current.website, registry.website, key: websiteKey)
            }
        }
    }

    private static func diff(_ field: RegistryField, _ current: String?, _ registry: String?,
                             key: (String) -> String) -> RegistryDiff? {
        let currentKey = current.map(key).flatMap { $0.isEmpty ? nil : $0 }
        let registryKey = registry.map(key).flatMap { $0.isEmpty ? nil : $0 }
        return currentKey == registryKey ? nil : RegistryDiff(field: field, current: current, registry: registry)
    }

    /// Whitespace runs as one space, none at the ends.
    private static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `https://www.Nokia.com/` and `www.nokia.com` are the same website.
    private static func websiteKey(_ text: String) -> String {
        var key = collapsed(text).lowercased()
        for scheme in ["https://", "http://"] where key.hasPrefix(scheme) {
            key.removeFirst(scheme.count)
        }
        while key.hasSuffix("/") { key.removeLast() }
        return key
    }
}
