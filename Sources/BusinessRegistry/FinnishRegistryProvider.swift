import BusinessIdentifiers
import Foundation

/// Finland's Patent and Registration Office (PRH), open data YTJ API v3:
/// `GET {base}/companies?businessId=0112038-9`.
struct FinnishRegistryProvider: RegistryProvider {
    static let registryName = "PRH YTJ open data v3"
    let country = "FI"
    let baseURL: URL
    let http: RegistryHTTPClient

    func lookup(_ id: VATNumber) async throws(RegistryError) -> RegistryRecord {
        let businessID = try businessID(of: id)
        let url = try url(for: businessID)
        let (status, body) = try await http.get(url)
        try RegistryStatus.check(status, id: businessID, url: url, notFoundStatuses: [404: "HTTP 404 Not Found"])
        return try Self.record(from: body, businessID: businessID, url: url)
    }

    /// The record in a 200 answer's body (the registry's bytes, whatever they are: the fuzz
    /// target `registry` feeds this), the company of `businessID` or else the first one.
    static func record(from body: Data, businessID: String, url: URL) throws(RegistryError) -> RegistryRecord {
        let response = try RegistryStatus.decode(PRHCompaniesResponse.self, from: body, url: url)
        // The v3 API answers an unknown id with an empty list rather than always with 404.
        guard let company = response.companies.first(where: { $0.businessId.value == businessID })
                ?? response.companies.first else {
            throw .notFound(id: businessID, url: url.absoluteString, detail: "no company in the answer")
        }
        return try company.record(url: url)
    }

    func url(for businessID: String) throws(RegistryError) -> URL {
        var components = URLComponents(url: baseURL.appendingPathComponent("companies"), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "businessId", value: businessID)]
        guard let url = components?.url else {
            throw .unsupported(reason: "cannot build a PRH URL from \(baseURL.absoluteString)")
        }
        return url
    }
}

extension PRHCompany {
    /// Maps the YTJ shape: the current name of type 1 (toiminimi), the current address of type 1
    /// (street) and 2 (postal), `website.url`, `endDate` as the end of the business id, the
    /// proceedings in force and the VAT register's entries (register 6).
    func record(url: URL) throws(RegistryError) -> RegistryRecord {
        let name = officialName
        // A company in force always has a trade name; only an ended one may have none left.
        guard name != nil || endDate?.nonBlank != nil else {
            throw .badResponse(reason: "no official name (a name of type 1) for \(businessId.value)",
                               url: url.absoluteString)
        }
        return RegistryRecord(
            businessID: businessId.value,
            officialName: name,
            streetAddress: currentAddress(type: 1)?.registryAddress,
            postalAddress: currentAddress(type: 2)?.registryAddress,
            email: nil,
            emailAvailability: .notProvidedByRegistry,
            website: website?.url?.nonBlank,
            deregistered: endDate?.nonBlank.map {
                Deregistration(date: $0, reason: "the business id has ended in the YTJ register")
            },
            situations: situations,
            vatRegistration: vatRegistration,
            registry: FinnishRegistryProvider.registryName,
            sourceURL: url)
    }

    /// The current trade name: type 1 without an end date, the latest registered. An ended name
    /// is never offered as the current one, not even when it is the only one left.
    var officialName: String? {
        names.filter { $0.type == "1" && $0.endDate?.nonBlank == nil && $0.name.nonBlank != nil }
            .max(by: { ($0.registrationDate ?? "") < ($1.registrationDate ?? "") })?.name
    }

    /// The latest registered address of `type` (the answer lists current addresses only).
    func currentAddress(type: Int) -> Address? {
        (addresses ?? []).filter { $0.type == type }
            .max(by: { ($0.registrationDate ?? "") < ($1.registrationDate ?? "") })
    }

    /// The proceedings without an end date, oldest first.
    var situations: [CompanySituation] {
        (companySituations ?? []).filter { $0.endDate?.nonBlank == nil }
            .sorted { ($0.registrationDate ?? "") < ($1.registrationDate ?? "") }
            .map { situation in
                let kind: CompanySituation.Kind
                switch situation.type.uppercased() {
                case "KONK": kind = .bankruptcy
                case "SELTILA": kind = .liquidation
                case "SANE": kind = .restructuring
                default: kind = .other
                }
                return CompanySituation(kind: kind, code: situation.type, since: situation.registrationDate?.nonBlank)
            }
    }

    /// Register 6: registered while an entry has no end date; otherwise the entry that ended
    /// last; `nil` when the answer lists no registers at all.
    var vatRegistration: VATRegistration? {
        guard let entries = registeredEntries, !entries.isEmpty else { return nil }
        let vat = entries.filter { $0.register == "6" }
        let current = vat.filter { $0.endDate?.nonBlank == nil }
        if !current.isEmpty {
            return VATRegistration(registered: true, date: current.compactMap { $0.registrationDate?.nonBlank }.min())
        }
        return VATRegistration(registered: false, date: vat.compactMap { $0.endDate?.nonBlank }.max())
    }
}

extension PRHCompany.Address {
    /// Finnish address lines: `c/o …`, `Street 7 A 12`, `PL 226` (postilokero, a PO box).
    var registryAddress: RegistryAddress {
        var lines: [String] = []
        if let co = co?.nonBlank { lines.append("c/o \(co)") }
        if let street = street?.nonBlank {
            let apartment = [apartmentNumber?.nonBlank, apartmentIdSuffix?.nonBlank].compactMap { $0 }.joined()
            let parts = [street, buildingNumber?.nonBlank, entrance?.nonBlank, apartment.nonBlank].compactMap { $0 }
            lines.append(parts.joined(separator: " "))
        }
        if let box = postOfficeBox?.nonBlank { lines.append("PL \(box)") }
        // Language code 1 is Finnish; Swedish (2) only when no Finnish name is given.
        let office = postOffices?.first { $0.languageCode == "1" } ?? postOffices?.first
        return RegistryAddress(lines: lines, postalCode: postCode?.nonBlank, city: office?.city.nonBlank, country: "FI")
    }
}

extension String {
    /// The string without surrounding whitespace, or `nil` when nothing remains.
    var nonBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
