import BusinessIdentifiers
import Foundation

/// Norway's Brønnøysund Register Centre, Enhetsregisteret open data: `GET {base}/enheter/{orgnr}`,
/// and for a number that is no main unit's, `GET {base}/underenheter/{orgnr}` (a branch).
struct NorwegianRegistryProvider: RegistryProvider {
    static let registryName = "Brønnøysund Enhetsregisteret"
    let country = "NO"
    let baseURL: URL
    let http: RegistryHTTPClient

    func lookup(_ id: VATNumber) async throws(RegistryError) -> RegistryRecord {
        let organisationNumber = try businessID(of: id)
        let unitURL = url("enheter", organisationNumber)
        let (status, body) = try await http.get(unitURL)
        // Status codes as Brønnøysund's OpenAPI document gives them for `/enheter/{organisasjonsnummer}`
        // (github.com/brreg/openAPI, specs/enhetsregisteret.json): 200 the unit (a deleted one too,
        // then with `slettedato`), 404 "Enheten finnes ikke", 410 "Enheten er fjernet".
        switch status {
        case 200:
            return try BrregUnit.record(from: body, url: unitURL, branch: false)
        case 410:
            return BrregUnit.gone(organisationNumber, body: body, url: unitURL, branch: false)
        case 404:
            return try await subUnit(organisationNumber)
        default:
            try RegistryStatus.check(status, id: organisationNumber, url: unitURL, notFoundStatuses: [:])
            throw .badResponse(reason: "unexpected HTTP status \(status)", url: unitURL.absoluteString)
        }
    }

    /// A number that is no main unit's may be a branch's (underenhet): its own address, and the
    /// main unit (`overordnetEnhet`) it belongs to, whose name is asked for too.
    private func subUnit(_ organisationNumber: String) async throws(RegistryError) -> RegistryRecord {
        let subUnitURL = url("underenheter", organisationNumber)
        let (status, body) = try await http.get(subUnitURL)
        if status == 410 {
            return BrregUnit.gone(organisationNumber, body: body, url: subUnitURL, branch: true)
        }
        try RegistryStatus.check(status, id: organisationNumber, url: subUnitURL, notFoundStatuses: [
            404: "HTTP 404 Not Found, neither as a unit nor as a sub-unit",
        ])
        var record = try BrregUnit.record(from: body, url: subUnitURL, branch: true)
        if let parent = record.parent {
            record.parent?.name = await parentName(parent.businessID)
        }
        return record
    }

    /// The main unit's name, or `nil` when it cannot be had: the branch's own record stands without it.
    private func parentName(_ organisationNumber: String) async -> String? {
        // The number comes from the registry's answer and becomes a path segment: only a real
        // organisation number (nine digits) is asked for, never text that could point elsewhere.
        guard organisationNumber.utf8.count == 9, organisationNumber.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        let parentURL = url("enheter", organisationNumber)
        guard let (status, body) = try? await http.get(parentURL), status == 200 else { return nil }
        return (try? RegistryStatus.decode(BrregUnit.self, from: body, url: parentURL))?.navn?.nonBlank
    }

    private func url(_ collection: String, _ organisationNumber: String) -> URL {
        baseURL.appendingPathComponent(collection).appendingPathComponent(organisationNumber)
    }
}

/// The part of an Enhetsregisteret unit or sub-unit that is read.
///
/// Where the names come from: `organisasjonsnummer`, `navn`, `forretningsadresse`, `postadresse`,
/// `Adresse` (`adresse`, `postnummer`, `poststed`, `landkode`), `konkurs`, `underAvvikling`,
/// `underTvangsavviklingEllerTvangsopplosning` and `registrertIMvaregisteret` are in Brønnøysund's
/// OpenAPI document (github.com/brreg/openAPI, specs/enhetsregisteret.json, schema `Enhet`); that
/// document predates the dates, which are in the API documentation
/// (https://data.brreg.no/enhetsregisteret/api/dokumentasjon/no/index.html, "Enhet" and
/// "Underenhet") and in every unit of the bulk download: `konkursdato`, `underAvviklingDato`,
/// the five `tvangs...Dato` grounds, `underRekonstruksjonsforhandlingDato`,
/// `registreringsdatoMerverdiavgiftsregisteret`, `slettedato`; and for a sub-unit
/// `beliggenhetsadresse`, `overordnetEnhet` and `nedleggelsesdato`. `epostadresse` and
/// `hjemmeside` are as in the captured sample `no-brreg-enhet-923609016-equinor.json`.
/// A deleted unit answers 200 with only `organisasjonsnummer`, `navn`, `organisasjonsform` and
/// `slettedato`.
struct BrregUnit: Decodable {
    struct Address: Decodable {
        var adresse: [String]?
        var postnummer: String?
        var poststed: String?
        var landkode: String?
    }

    var organisasjonsnummer: String
    var navn: String?
    var forretningsadresse: Address?
    /// A sub-unit's own (location) address, in place of `forretningsadresse`.
    var beliggenhetsadresse: Address?
    var postadresse: Address?
    var epostadresse: String?
    var hjemmeside: String?
    var slettedato: String?
    /// A sub-unit's closing date (nedlagt): it no longer operates.
    var nedleggelsesdato: String?
    /// A sub-unit's main unit.
    var overordnetEnhet: String?
    var konkurs: Bool?
    var konkursdato: String?
    var underAvvikling: Bool?
    var underAvviklingDato: String?
    var underTvangsavviklingEllerTvangsopplosning: Bool?
    /// Restructuring negotiations (rekonstruksjonsforhandling, since 2020).
    var underRekonstruksjonsforhandling: Bool?
    var underRekonstruksjonsforhandlingDato: String?
    var tvangsavvikletPgaManglendeSlettingDato: String?
    var tvangsopplostPgaManglendeDagligLederDato: String?
    var tvangsopplostPgaManglendeRevisorDato: String?
    var tvangsopplostPgaManglendeRegnskapDato: String?
    var tvangsopplostPgaMangelfulltStyreDato: String?
    var registrertIMvaregisteret: Bool?
    var registreringsdatoMerverdiavgiftsregisteret: String?

    /// The record in a 200 answer's body (the registry's bytes, whatever they are: the fuzz target
    /// `registry` feeds this); a branch's names its main unit, whose name the caller asks for.
    static func record(from body: Data, url: URL, branch: Bool) throws(RegistryError) -> RegistryRecord {
        let unit = try RegistryStatus.decode(BrregUnit.self, from: body, url: url)
        var record = try unit.record(url: url, branch: branch)
        if branch, let parent = unit.overordnetEnhet?.nonBlank {
            record.parent = ParentUnit(businessID: parent, name: nil)
        }
        return record
    }

    /// - Parameter branch: the answer came from `/underenheter` (a deleted sub-unit may no longer
    ///   name its main unit).
    /// - Throws: `badResponse` for a unit in force without `navn`.
    func record(url: URL, branch: Bool = false) throws(RegistryError) -> RegistryRecord {
        let deregistered = deregistration(branch: branch)
        guard navn?.nonBlank != nil || deregistered != nil else {
            throw .badResponse(reason: "missing \"navn\"", url: url.absoluteString)
        }
        let email = epostadresse?.nonBlank
        return RegistryRecord(
            businessID: organisasjonsnummer,
            officialName: navn?.nonBlank,
            streetAddress: (forretningsadresse ?? beliggenhetsadresse)?.registryAddress,
            postalAddress: postadresse?.registryAddress,
            email: email,
            emailAvailability: email == nil ? .notRegistered : .provided,
            website: hjemmeside?.nonBlank,
            deregistered: deregistered,
            situations: situations,
            vatRegistration: registrertIMvaregisteret.map {
                VATRegistration(registered: $0, date: $0 ? registreringsdatoMerverdiavgiftsregisteret?.nonBlank : nil)
            },
            registry: NorwegianRegistryProvider.registryName,
            sourceURL: url)
    }

    private func deregistration(branch: Bool) -> Deregistration? {
        let unit = branch ? "sub-unit" : "unit"
        if let date = slettedato?.nonBlank {
            return Deregistration(date: date, reason: "the \(unit) was deleted from Enhetsregisteret (slettet)")
        }
        if let date = nedleggelsesdato?.nonBlank {
            return Deregistration(date: date, reason: "the \(unit) was closed down (nedlagt)")
        }
        return nil
    }

    /// `konkurs`, `underAvvikling`, `underTvangsavviklingEllerTvangsopplosning` and restructuring
    /// with their dates (the compulsory one dated by whichever ground the registry gives).
    private var situations: [CompanySituation] {
        var situations: [CompanySituation] = []
        if konkurs == true {
            situations.append(CompanySituation(kind: .bankruptcy, code: "konkurs", since: konkursdato?.nonBlank))
        }
        if underAvvikling == true {
            situations.append(CompanySituation(kind: .liquidation, code: "underAvvikling",
                                               since: underAvviklingDato?.nonBlank))
        }
        if underTvangsavviklingEllerTvangsopplosning == true {
            let dates = [tvangsavvikletPgaManglendeSlettingDato, tvangsopplostPgaManglendeDagligLederDato,
                         tvangsopplostPgaManglendeRevisorDato, tvangsopplostPgaManglendeRegnskapDato,
                         tvangsopplostPgaMangelfulltStyreDato].compactMap { $0?.nonBlank }
            situations.append(CompanySituation(kind: .compulsoryDissolution,
                                               code: "underTvangsavviklingEllerTvangsopplosning", since: dates.min()))
        }
        let restructuringSince = underRekonstruksjonsforhandlingDato?.nonBlank
        if underRekonstruksjonsforhandling == true || restructuringSince != nil {
            situations.append(CompanySituation(kind: .restructuring, code: "underRekonstruksjonsforhandling",
                                               since: restructuringSince))
        }
        return situations.sorted { ($0.since ?? "") < ($1.since ?? "") }
    }

    /// HTTP 410 Gone, "Enheten er fjernet" in the OpenAPI document: the unit has been removed from
    /// the open data (a deleted unit is answered with 200 and `slettedato`; 410 is one the register
    /// no longer gives out, for legal reasons). It is still a deregistration, not an unknown
    /// number: nothing should be invoiced to it. The body is the API's error document, so the
    /// date is known only if it ever carries a `slettedato`.
    static func gone(_ organisationNumber: String, body: Data, url: URL, branch: Bool) -> RegistryRecord {
        let unit = try? RegistryStatus.decode(BrregUnit.self, from: body, url: url)
        let kind = branch ? "sub-unit" : "unit"
        return RegistryRecord(
            businessID: organisationNumber, officialName: unit?.navn?.nonBlank, streetAddress: nil, postalAddress: nil,
            email: nil, emailAvailability: .notRegistered, website: nil,
            deregistered: Deregistration(date: unit?.slettedato?.nonBlank,
                                         reason: "the \(kind) was removed from Enhetsregisteret's open data (HTTP 410 Gone)"),
            registry: NorwegianRegistryProvider.registryName, sourceURL: url)
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
