import BusinessIdentifiers
import BusinessRegistry
import Foundation
import RegistryTestSupport
import Testing

struct FinnishRegistryProviderTests {
    @Test("Nokia's PRH sample maps to the current name, street and postal address, website, no email")
    func nokiaSample() async throws {
        let path = RegistryPath.finnishCompany("0112038-9")
        try await withRegistry([path: try Fixture.response(Fixture.nokia)]) { directory, server in
            let provider = try #require(directory.provider(for: "FI"))
            let record = try await provider.lookup(try VATNumber.parse("FI01120389", country: "FI"))

            #expect(server.requests == [path])
            #expect(record.businessID == "0112038-9")
            // "Oy Nokia Ab" is the former trade name (endDate 1997-08-31); type 2/3 names are not official.
            #expect(record.officialName == "Nokia Oyj")
            // Finnish-language post office (code 1) although the Swedish "ESBO" comes first.
            #expect(record.streetAddress == RegistryAddress(lines: ["Karakaari 7"], postalCode: "02610",
                                                            city: "ESPOO", country: "FI"))
            #expect(record.postalAddress == RegistryAddress(lines: ["PL 226"], postalCode: "00045",
                                                            city: "NOKIA GROUP", country: "FI"))
            #expect(record.email == nil)
            #expect(record.emailAvailability == .notProvidedByRegistry)
            #expect(record.website == "www.nokia.com")
            #expect(record.deregistered == nil)
            #expect(record.situations.isEmpty)
            // Register 6 (VAT) holds three entries in force; the earliest began on 1994-06-01.
            #expect(record.vatRegistration == VATRegistration(registered: true, date: "1994-06-01"))
            #expect(record.standing == "active; VAT registered since 1994-06-01")
            #expect(record.registry == "PRH YTJ open data v3")
            #expect(record.sourceURL == server.url(path))
        }
    }

    @Test("a company with an end date is reported deregistered, with its current name and formatted address")
    func endedCompany() async throws {
        let path = RegistryPath.finnishCompany("1234567-1")
        try await withRegistry([path: try Fixture.response(Fixture.finnishEnded)]) { directory, _ in
            let provider = try #require(directory.provider(for: "fi"))
            let record = try await provider.lookup(try VATNumber.parse("1234567-1", country: "FI"))

            #expect(record.officialName == "Esimerkki Oy")
            #expect(record.deregistered == Deregistration(date: "2023-05-31",
                                                          reason: "the business id has ended in the YTJ register"))
            #expect(record.streetAddress == RegistryAddress(lines: ["c/o Tilitoimisto Oy", "Mannerheimintie 12 B 5"],
                                                            postalCode: "00100", city: "HELSINKI", country: "FI"))
            #expect(record.postalAddress == nil)
            #expect(record.website == nil)
            #expect(record.preferredAddress == record.streetAddress)
        }
    }

    @Test("companySituations in force are read with their dates; an ended one and an ended VAT entry are not current")
    func bankruptCompany() async throws {
        let path = RegistryPath.finnishCompany("7654321-2")
        try await withRegistry([path: try Fixture.response(Fixture.finnishBankrupt)]) { directory, _ in
            let record = try await #require(directory.provider(for: "FI"))
                .lookup(try VATNumber.parse("FI76543212", country: "FI"))

            // The restructuring (SANE) ended on 2023-01-31; the bankruptcy (KONK) is in force.
            #expect(record.situations == [CompanySituation(kind: .bankruptcy, code: "KONK", since: "2024-01-15")])
            #expect(record.vatRegistration == VATRegistration(registered: false, date: "2024-03-31"))
            #expect(record.standing == "bankruptcy since 2024-01-15 (KONK); VAT-register entry ended on 2024-03-31")
            // The street address that ended in 2019 is never offered as the current one.
            #expect(record.streetAddress == RegistryAddress(lines: ["Hämeenkatu 5"], postalCode: "33200",
                                                            city: "TAMPERE", country: "FI"))
        }
    }

    @Test("the other situation codes are liquidation and restructuring; an unknown one is kept as its code")
    func situationCodes() async throws {
        let path = RegistryPath.finnishCompany("0112038-9")
        let body = #"""
            {"companies":[{"businessId":{"value":"0112038-9"},"names":[{"name":"Nokia Oyj","type":"1"}],
             "companySituations":[{"type":"SELTILA","registrationDate":"2024-05-02"},
                                  {"type":"SANE","registrationDate":"2024-01-10"},
                                  {"type":"UUSI"}]}]}
            """#
        try await withRegistry([path: .json(body)]) { directory, _ in
            let record = try await #require(directory.provider(for: "FI"))
                .lookup(try VATNumber.parse("FI01120389", country: "FI"))
            #expect(record.situations.map(\.summary)
                == ["situation (UUSI)", "restructuring since 2024-01-10 (SANE)", "liquidation since 2024-05-02 (SELTILA)"])
            #expect(record.vatRegistration == nil)
        }
    }

    @Test("an ended company whose names all ended offers no name")
    func endedNamesOnly() async throws {
        let path = RegistryPath.finnishCompany("0112038-9")
        let body = #"""
            {"companies":[{"businessId":{"value":"0112038-9"},"endDate":"2020-01-01",
             "names":[{"name":"Vanha Oy","type":"1","endDate":"2019-12-31"}]}]}
            """#
        try await withRegistry([path: .json(body)]) { directory, _ in
            let record = try await #require(directory.provider(for: "FI"))
                .lookup(try VATNumber.parse("FI01120389", country: "FI"))
            #expect(record.officialName == nil)
            #expect(record.standing == "deregistered on 2020-01-01")
        }
    }

    @Test("an empty company list means not found")
    func emptyList() async throws {
        let path = RegistryPath.finnishCompany("0112038-9")
        try await withRegistry([path: .json(#"{"totalResults":0,"companies":[]}"#)]) { directory, server in
            let error = try await lookupError(directory, "0112038-9", country: "FI")
            #expect(error == .notFound(id: "0112038-9", url: server.url(path).absoluteString,
                                       detail: "no company in the answer"))
        }
    }

    @Test("a company without a type-1 name is a bad response, not a guess")
    func noOfficialName() async throws {
        let path = RegistryPath.finnishCompany("0112038-9")
        let body = #"{"companies":[{"businessId":{"value":"0112038-9"},"names":[{"name":"Nokia Networks","type":"3"}]}]}"#
        try await withRegistry([path: .json(body)]) { directory, server in
            let error = try await lookupError(directory, "0112038-9", country: "FI")
            #expect(error == .badResponse(reason: "no official name (a name of type 1) for 0112038-9",
                                          url: server.url(path).absoluteString))
        }
    }
}
