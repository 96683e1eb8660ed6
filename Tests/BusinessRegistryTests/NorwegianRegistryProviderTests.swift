import BusinessIdentifiers
import BusinessRegistry
import Foundation
import RegistryTestSupport
import Testing

struct NorwegianRegistryProviderTests {
    @Test("Equinor's Brønnøysund sample maps navn, forretningsadresse, postadresse and hjemmeside")
    func equinorSample() async throws {
        let path = RegistryPath.norwegianUnit("923609016")
        try await withRegistry([path: try Fixture.response(Fixture.equinor)]) { directory, server in
            let provider = try #require(directory.provider(for: "NO"))
            let record = try await provider.lookup(try VATNumber.parse("NO 923 609 016 MVA", country: "NO"))

            #expect(server.requests == [path])
            #expect(record.businessID == "923609016")
            #expect(record.officialName == "EQUINOR ASA")
            #expect(record.streetAddress == RegistryAddress(lines: ["Forusbeen 50"], postalCode: "4035",
                                                            city: "STAVANGER", country: "NO"))
            #expect(record.postalAddress == RegistryAddress(lines: ["Postboks 8500"], postalCode: "4035",
                                                            city: "STAVANGER", country: "NO"))
            // The sample has no epostadresse: the registry keeps emails, this unit has none.
            #expect(record.email == nil)
            #expect(record.emailAvailability == .notRegistered)
            #expect(record.website == "www.equinor.com")
            #expect(record.deregistered == nil)
            #expect(record.situations.isEmpty)
            #expect(record.vatRegistration == VATRegistration(registered: true, date: "1989-07-01"))
            #expect(record.parent == nil)
            #expect(record.registry == "Brønnøysund Enhetsregisteret")
            #expect(record.sourceURL == server.url(path))
        }
    }

    @Test("an email address, when registered, is provided")
    func email() async throws {
        let path = RegistryPath.norwegianUnit("923609016")
        let body = #"{"organisasjonsnummer":"923609016","navn":"EQUINOR ASA","epostadresse":"post@example.no"}"#
        try await withRegistry([path: .json(body)]) { directory, _ in
            let record = try await #require(directory.provider(for: "NO"))
                .lookup(try VATNumber.parse("923609016", country: "NO"))
            #expect(record.email == "post@example.no")
            #expect(record.emailAvailability == .provided)
            #expect(record.streetAddress == nil)
        }
    }

    @Test("a deleted unit (slettedato) is reported deregistered with its date")
    func deletedUnit() async throws {
        let path = RegistryPath.norwegianUnit("812345672")
        try await withRegistry([path: try Fixture.response(Fixture.norwegianDeleted)]) { directory, _ in
            let record = try await #require(directory.provider(for: "NO"))
                .lookup(try VATNumber.parse("812345672", country: "NO"))
            #expect(record.officialName == "EKSEMPEL SLETTET AS")
            #expect(record.deregistered == Deregistration(date: "2023-11-30",
                                                          reason: "the unit was deleted from Enhetsregisteret (slettet)"))
            #expect(record.streetAddress == nil)
            #expect(record.postalAddress == nil)
            #expect(record.website == nil)
        }
    }

    @Test("404 as a unit and as a sub-unit is not found")
    func notFound() async throws {
        try await withRegistry([:]) { directory, server in
            let error = try await lookupError(directory, "923609016", country: "NO")
            #expect(error == .notFound(id: "923609016",
                                       url: server.url(RegistryPath.norwegianSubUnit("923609016")).absoluteString,
                                       detail: "HTTP 404 Not Found, neither as a unit nor as a sub-unit"))
            #expect(server.requests == [RegistryPath.norwegianUnit("923609016"),
                                        RegistryPath.norwegianSubUnit("923609016")])
        }
    }

    /// 410 is "Enheten er fjernet" (brreg/openAPI specs/enhetsregisteret.json): its body is the
    /// API's error document (`tidspunkt`, `status`, `feilmelding`), not a unit, so no date.
    @Test("410 Gone is a deregistration, not an unknown company")
    func gone() async throws {
        let path = RegistryPath.norwegianUnit("998877660")
        let body = #"{"tidspunkt":"2026-11-02T10:15:00.000+00:00","status":410,"feilmelding":"Gone"}"#
        try await withRegistry([path: .json(body, status: 410)]) { directory, server in
            let record = try await #require(directory.provider(for: "NO"))
                .lookup(try VATNumber.parse("998877660", country: "NO"))
            #expect(record.deregistered == Deregistration(
                date: nil, reason: "the unit was removed from Enhetsregisteret's open data (HTTP 410 Gone)"))
            #expect(record.officialName == nil)
            #expect(record.standing == "deregistered")
            #expect(server.requests == [path])
        }
    }

    @Test("Restructuring negotiations (underRekonstruksjonsforhandling) are a situation with their date")
    func restructuring() async throws {
        let path = RegistryPath.norwegianUnit("923609016")
        let body = #"{"organisasjonsnummer":"923609016","navn":"EKSEMPEL AS","underRekonstruksjonsforhandling":true,"underRekonstruksjonsforhandlingDato":"2025-02-03"}"#
        try await withRegistry([path: .json(body, status: 200)]) { directory, _ in
            let record = try await #require(directory.provider(for: "NO"))
                .lookup(try VATNumber.parse("923609016", country: "NO"))
            #expect(record.situations == [CompanySituation(kind: .restructuring, code: "underRekonstruksjonsforhandling",
                                                           since: "2025-02-03")])
            #expect(record.standing == "restructuring since 2025-02-03 (underRekonstruksjonsforhandling)")
        }
    }

    @Test("konkurs, underAvvikling and underTvangsavviklingEllerTvangsopplosning are read with their dates")
    func situations() async throws {
        let bankrupt = RegistryPath.norwegianUnit("973123459")
        let winding = RegistryPath.norwegianUnit("923609016")
        let body = #"""
            {"organisasjonsnummer":"923609016","navn":"EKSEMPEL AS UNDER AVVIKLING","underAvvikling":true,
             "underAvviklingDato":"2024-03-01","underTvangsavviklingEllerTvangsopplosning":true,
             "tvangsopplostPgaManglendeRevisorDato":"2024-04-05","konkurs":false}
            """#
        try await withRegistry([bankrupt: try Fixture.response(Fixture.norwegianBankrupt),
                                winding: .json(body)]) { directory, _ in
            let provider = try #require(directory.provider(for: "NO"))
            let record = try await provider.lookup(try VATNumber.parse("NO973123459MVA", country: "NO"))
            #expect(record.situations == [CompanySituation(kind: .bankruptcy, code: "konkurs", since: "2024-02-20")])
            #expect(record.vatRegistration == VATRegistration(registered: false, date: nil))
            #expect(record.standing == "bankruptcy since 2024-02-20 (konkurs); not VAT registered")

            let other = try await provider.lookup(try VATNumber.parse("923609016", country: "NO"))
            #expect(other.situations.map(\.summary) == [
                "liquidation since 2024-03-01 (underAvvikling)",
                "compulsory dissolution since 2024-04-05 (underTvangsavviklingEllerTvangsopplosning)",
            ])
            #expect(other.vatRegistration == nil)
        }
    }

    @Test("a sub-unit's number is looked up at /underenheter: its own address, its parent's number and name")
    func branch() async throws {
        let unit = RegistryPath.norwegianUnit("971234563")
        let subUnit = RegistryPath.norwegianSubUnit("971234563")
        let parent = RegistryPath.norwegianUnit("923609016")
        try await withRegistry([subUnit: try Fixture.response(Fixture.norwegianBranch),
                                parent: try Fixture.response(Fixture.equinor)]) { directory, server in
            let record = try await #require(directory.provider(for: "NO"))
                .lookup(try VATNumber.parse("971234563", country: "NO"))
            #expect(server.requests == [unit, subUnit, parent])
            #expect(record.officialName == "EQUINOR ASA AVD SANDSLI")
            #expect(record.streetAddress == RegistryAddress(lines: ["Sandsliveien 90"], postalCode: "5254",
                                                            city: "SANDSLI", country: "NO"))
            #expect(record.parent == ParentUnit(businessID: "923609016", name: "EQUINOR ASA"))
            #expect(record.standing == "active; branch of 923609016 EQUINOR ASA; VAT registered")
            #expect(record.sourceURL == server.url(subUnit))
        }
    }

    @Test("a deleted sub-unit is reported deleted")
    func deletedBranch() async throws {
        let subUnit = RegistryPath.norwegianSubUnit("812345001")
        try await withRegistry([subUnit: try Fixture.response(Fixture.norwegianDeletedBranch)]) { directory, _ in
            let record = try await #require(directory.provider(for: "NO"))
                .lookup(try VATNumber.parse("812345001", country: "NO"))
            #expect(record.deregistered == Deregistration(
                date: "2022-08-31", reason: "the sub-unit was deleted from Enhetsregisteret (slettet)"))
        }
    }

    @Test("a unit without navn is a bad response naming the missing key")
    func missingName() async throws {
        let path = RegistryPath.norwegianUnit("923609016")
        try await withRegistry([path: .json(#"{"organisasjonsnummer":"923609016"}"#)]) { directory, server in
            let error = try await lookupError(directory, "923609016", country: "NO")
            #expect(error == .badResponse(reason: "missing \"navn\"", url: server.url(path).absoluteString))
        }
    }

    @Test("a VAT number of another country or an unchecked one is refused before any request")
    func unsupported() async throws {
        try await withRegistry([:]) { directory, server in
            let provider = try #require(directory.provider(for: "NO"))
            await #expect(throws: RegistryError.unsupported(
                reason: "the NO registry cannot look up FI01120389 (country FI)")) {
                try await provider.lookup(try VATNumber.parse("0112038-9", country: "FI"))
            }
            #expect(server.requests.isEmpty)
        }
    }
}
