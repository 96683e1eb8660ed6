import BusinessIdentifiers
import BusinessRegistry
import Foundation
import Testing

/// The registry answer documents in `Fixtures/`, found next to this file (CI runs on a clean clone).
enum Fixture {
    static let nokia = "fi-prh-ytj-v3-companies-0112038-9-nokia.json"
    static let finnishEnded = "fi-prh-ytj-v3-companies-1234567-1-ended.json"
    static let equinor = "no-brreg-enhet-923609016-equinor.json"
    static let norwegianDeleted = "no-brreg-enhet-812345672-deleted.json"

    static func data(_ name: String) throws -> Data {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        return try Data(contentsOf: folder.appendingPathComponent(name))
    }

    static func response(_ name: String) throws -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.Response(status: 200, body: try data(name))
    }
}

/// Path prefixes like the real registries', so base URLs with a path are exercised.
enum RegistryPath {
    static let finland = "/opendata-ytj-api/v3"
    static let norway = "/enhetsregisteret/api"

    static func finnishCompany(_ businessID: String) -> String { "\(finland)/companies?businessId=\(businessID)" }
    static func norwegianUnit(_ number: String) -> String { "\(norway)/enheter/\(number)" }
}

/// Runs `body` against a loopback server serving `routes`, with a directory pointed at it.
func withRegistry<T>(_ routes: [String: LoopbackHTTPServer.Response], timeout: Duration = .seconds(10),
                     _ body: (RegistryDirectory, LoopbackHTTPServer) async throws -> T) async throws -> T {
    let server = try LoopbackHTTPServer(routes: routes)
    defer { server.stop() }
    let directory = RegistryDirectory(baseURLs: ["fi": server.url(RegistryPath.finland),
                                                 "no": server.url(RegistryPath.norway)],
                                      timeout: timeout)
    return try await body(directory, server)
}

/// Looks `vat` up in `country`'s provider and returns the error it fails with, or records an issue.
func lookupError(_ directory: RegistryDirectory, _ vat: String, country: String) async throws -> RegistryError? {
    let provider = try #require(directory.provider(for: country))
    do {
        let record = try await provider.lookup(try VATNumber.parse(vat, country: country))
        Issue.record("expected a failure, got \(record)")
        return nil
    } catch let error as RegistryError {
        return error
    }
}
