import BusinessIdentifiers

/// One country's business registry.
public protocol RegistryProvider: Sendable {
    /// The ISO 3166 alpha-2 code of the country whose registry this is.
    var country: String { get }
    /// Asks the registry about the company with this (checked) VAT number's business id.
    func lookup(_ id: VATNumber) async throws(RegistryError) -> RegistryRecord
}

extension RegistryProvider {
    /// The business id to ask for, refusing numbers of another country or unchecked ones.
    func businessID(of id: VATNumber) throws(RegistryError) -> String {
        guard id.country == country, id.isChecked, let businessID = id.businessID else {
            throw .unsupported(reason: "the \(country) registry cannot look up \(id.canonical) (country \(id.country))")
        }
        return businessID
    }
}
