import BusinessRegistry
import CustomerClient
import CustomerServer
import Foundation
import ServiceLog
import RegistryTestSupport

/// The companies the loopback registry knows in these tests (fixtures from RegistryTestSupport).
enum RegistryCompanies {
    /// Nokia Oyj (the PRH sample): Karakaari 7, 02610 ESPOO; www.nokia.com; PRH has no emails.
    static let nokiaVAT = "FI01120389"
    /// Equinor ASA (the Brønnøysund sample): Forusbeen 50, 4035 STAVANGER; www.equinor.com; no email registered.
    static let equinorVAT = "NO923609016MVA"
    /// EKSEMPEL SLETTET AS, deleted on 2023-11-30 (synthetic).
    static let deletedVAT = "NO812345672MVA"
    /// A valid Norwegian number whose lookup answers HTTP 500.
    static let failingVAT = "NO974760673MVA"
    /// A valid Finnish business id the registry does not know (HTTP 404).
    static let unknownVAT = "FI12345671"
    /// Konkurssi Esimerkki Oy (synthetic): bankrupt (KONK) since 2024-01-15, VAT entry ended 2024-03-31.
    static let finnishBankruptVAT = "FI76543212"
    /// EKSEMPEL HANDEL AS KONKURSBO (synthetic): konkurs since 2024-02-20, not in the VAT register.
    static let norwegianBankruptVAT = "NO973123459MVA"
    /// EQUINOR ASA AVD SANDSLI (synthetic): a sub-unit of 923609016.
    static let branchNumber = "971234563"
    /// EKSEMPEL AS AVD TROMSØ (synthetic): a sub-unit deleted on 2022-08-31.
    static let deletedBranchNumber = "812345001"
    /// A unit the registry answers with HTTP 410 Gone ("Enheten er fjernet"): its error document.
    static let goneVAT = "NO998877660MVA"
    /// NORDLYS AS (synthetic, hostile): a name with a terminal escape and a `javascript:` website,
    /// which the store refuses, beside an email and an address it takes; a VAT registration date
    /// with a terminal escape and a DEL, which the standing shows.
    static let hostileVAT = "NO912345688MVA"
    static let hostileUnit = #"{"organisasjonsnummer":"912345688","navn":"NORDLYS \u001b[2J AS","#
        + #""registrertIMvaregisteret":true,"registreringsdatoMerverdiavgiftsregisteret":"1995-01-01\u001b[2J\u007f","#
        + #""hjemmeside":"javascript:alert(1)","epostadresse":"post@nordlys.example","#
        + #""forretningsadresse":{"adresse":["Storgata 1"],"postnummer":"0155","poststed":"OSLO","landkode":"NO"}}"#

    static func routes() throws -> [String: LoopbackHTTPServer.Response] {
        [
            RegistryPath.finnishCompany("0112038-9"): try Fixture.response(Fixture.nokia),
            RegistryPath.norwegianUnit("923609016"): try Fixture.response(Fixture.equinor),
            RegistryPath.norwegianUnit("812345672"): try Fixture.response(Fixture.norwegianDeleted),
            RegistryPath.norwegianUnit("974760673"): .json(#"{"status":500,"error":"Internal Server Error"}"#, status: 500),
            RegistryPath.finnishCompany("7654321-2"): try Fixture.response(Fixture.finnishBankrupt),
            RegistryPath.norwegianUnit("973123459"): try Fixture.response(Fixture.norwegianBankrupt),
            RegistryPath.norwegianSubUnit("971234563"): try Fixture.response(Fixture.norwegianBranch),
            RegistryPath.norwegianSubUnit("812345001"): try Fixture.response(Fixture.norwegianDeletedBranch),
            RegistryPath.norwegianUnit("912345688"): .json(hostileUnit),
            RegistryPath.norwegianUnit("998877660"):
                .json(#"{"tidspunkt":"2026-11-02T10:15:00.000+00:00","status":410,"feilmelding":"Gone"}"#, status: 410),
        ]
    }
}

/// Runs `body` against a fresh server whose registry URLs point at a loopback registry serving
/// `RegistryCompanies`; both are stopped afterwards, also when `body` throws.
/// - Parameter directory: a directory with a database to start from (see `LegacyCustomerSeeder`).
/// - Parameter logger: where the server logs (default: warnings and worse to stderr).
/// A body still running after `testBodyLimit` fails the test, naming it (`TestServer.withTimeLimit`).
func withRegistryServer<T>(
    directory: URL? = nil, logger: Logger? = nil, test: String = #function,
    _ body: (TestServer, CustomerClient, LoopbackHTTPServer) async throws -> T
) async throws -> T {
    let routes = try RegistryCompanies.routes()
    return try await withOffPool(start: {
        let registry = try LoopbackHTTPServer(routes: routes)
        do {
            return (try TestServer(directory: directory, logger: logger) {
                $0.registries = registry.registryDirectory()
            }, registry)
        } catch {
            registry.stop()
            throw error
        }
    }, stop: { server, registry in
        server.stop()
        registry.stop()
    }) { server, registry in
        let client = server.client()
        defer { client.close() }
        return try await server.withTimeLimit(test) { try await body(server, client, registry) }
    }
}
