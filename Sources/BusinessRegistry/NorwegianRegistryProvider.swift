import BusinessIdentifiers
import Foundation

/// Norway's Brønnøysund Register Centre, Enhetsregisteret open data: `GET {base}/enheter/{orgnr}`.
struct NorwegianRegistryProvider: RegistryProvider {
    static let registryName = "Brønnøysund Enhetsregisteret"
    let country = "NO"
    let baseURL: URL
    let http: RegistryHTTPClient

    func lookup(_ id: VATNumber) async throws(RegistryError) -> RegistryRecord {
        let organisationNumber = try businessID(of: id)
        let url = baseURL.appendingPathComponent("enheter").appendingPathComponent(organisationNumber)
        let (status, body) = try await http.get(url)
        // A deleted unit answers 200 with `slettedato`; 410 Gone means the unit was removed
        // from public view (a legal requirement), so nothing about it may be shown.
        try RegistryStatus.check(status, id: organisationNumber, url: url, notFoundStatuses: [
            404: "HTTP 404 Not Found",
            410: "HTTP 410 Gone: removed from the public register",
        ])
        return try RegistryStatus.decode(BrregUnit.self, from: body, url: url).record(url: url)
    }
}

/// The part of an Enhetsregisteret unit that is read (shape as in `no-brreg-enhet-923609016-equinor.json`;
/// a deleted unit has only `organisasjonsnummer`, `navn`, `organisasjonsform` and `slettedato`).
struct BrregUnit: Decodable {
    struct Address: Decodable {
        var adresse: [String]?
        var postnummer: String?
        var poststed: String?
        var landkode: String?
    }

    var organisasjonsnummer: String
    var navn: String
    var forretningsadresse: Address?
    var postadresse: Address?
    var epostadresse: String?
    var hjemmeside: String?
    var slettedato: String?

    func record(url: URL) -> RegistryRecord {
        let email = epostadresse?.nonBlank
        return RegistryRecord(
            businessID: organisasjonsnummer,
            officialName: navn,
            streetAddress: forretningsadresse?.registryAddress,
            postalAddress: postadresse?.registryAddress,
            email: email,
            emailAvailability: email == nil ? .notRegistered : .provided,
            website: hjemmeside?.nonBlank,
            deregistered: slettedato?.nonBlank.map {
                Deregistration(date: $0, reason: "deleted from Enhetsregisteret (slettet)")
            },
            registry: NorwegianRegistryProvider.registryName,
            sourceURL: url)
    }
}

extension BrregUnit.Address {
    var registryAddress: RegistryAddress {
        RegistryAddress(lines: (adresse ?? []).compactMap(\.nonBlank),
                        postalCode: postnummer?.nonBlank,
                        city: poststed?.nonBlank,
                        country: landkode?.nonBlank ?? "NO")
    }
}
