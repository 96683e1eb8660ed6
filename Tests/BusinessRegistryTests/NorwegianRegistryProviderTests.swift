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
                                                          reason: "deleted from Enhetsregisteret (slettet)"))
            #expect(record.streetAddress == nil)
            #expect(record.postalAddress == nil)
            #expect(record.website == nil)
        }
    }

    @Test("404 and 410 Gone are not found, each with its own detail",
          arguments: [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone: removed from the public register")])
    func notFound(status: Int, detail: String) async throws {
        let path = RegistryPath.norwegianUnit("923609016")
        try await withRegistry([path: .json(#"{"status":\#(status)}"#, status: status)]) { directory, server in
            let error = try await lookupError(directory, "923609016", country: "NO")
            #expect(error == .notFound(id: "923609016", url: server.url(path).absoluteString, detail: detail))
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
