import BusinessRegistry
import Foundation
import TestSupport

/// The registry answer documents in `Fixtures/`, found next to this file (CI runs on a clean clone).
public enum Fixture {
    /// PRH YTJ v3 `/companies?businessId=0112038-9`: Nokia Oyj (a verbatim sample).
    public static let nokia = "fi-prh-ytj-v3-companies-0112038-9-nokia.json"
    /// PRH YTJ v3, synthetic: 1234567-1, ended on 2023-05-31.
    public static let finnishEnded = "fi-prh-ytj-v3-companies-1234567-1-ended.json"
    /// Enhetsregisteret `/enheter/923609016`: Equinor ASA (a verbatim sample).
    public static let equinor = "no-brreg-enhet-923609016-equinor.json"
    /// Enhetsregisteret, synthetic: 812345672, deleted (`slettedato` 2023-11-30).
    public static let norwegianDeleted = "no-brreg-enhet-812345672-deleted.json"
    /// PRH YTJ v3, synthetic: 7654321-2, bankrupt (KONK) since 2024-01-15, VAT entry ended 2024-03-31.
    public static let finnishBankrupt = "fi-prh-ytj-v3-companies-7654321-2-bankrupt.json"
    /// Enhetsregisteret, synthetic: 973123459, konkurs since 2024-02-20, not in the VAT register.
    public static let norwegianBankrupt = "no-brreg-enhet-973123459-bankrupt.json"
    /// Enhetsregisteret `/underenheter`, synthetic: 971234563, a branch of 923609016 (Equinor).
    public static let norwegianBranch = "no-brreg-underenhet-971234563-branch.json"
    /// Enhetsregisteret `/underenheter`, synthetic: 812345001, deleted on 2022-08-31.
    public static let norwegianDeletedBranch = "no-brreg-underenhet-812345001-deleted.json"

    public static func data(_ name: String) throws -> Data {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        return try Data(contentsOf: folder.appendingPathComponent(name))
    }

    /// The document as a 200 answer.
    public static func response(_ name: String) throws -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.Response(status: 200, body: try data(name))
    }
}

/// Path prefixes like the real registries', so base URLs with a path are exercised.
public enum RegistryPath {
    public static let finland = "/opendata-ytj-api/v3"
    public static let norway = "/enhetsregisteret/api"

    public static func finnishCompany(_ businessID: String) -> String { "\(finland)/companies?businessId=\(businessID)" }
    public static func norwegianUnit(_ number: String) -> String { "\(norway)/enheter/\(number)" }
    public static func norwegianSubUnit(_ number: String) -> String { "\(norway)/underenheter/\(number)" }
}

extension LoopbackHTTPServer {
    /// A directory whose Finnish and Norwegian base URLs point at this server. Its timeout is for
    /// answers that come: long enough for a machine whose cores other work keeps busy (a test of
    /// the timeout itself passes its own).
    public func registryDirectory(timeout: Duration = .seconds(60)) -> RegistryDirectory {
        RegistryDirectory(baseURLs: ["fi": url(RegistryPath.finland), "no": url(RegistryPath.norway)], timeout: timeout)
    }

    /// The `--registry-url` values of `customerd` that point at this server.
    public var registryURLOptions: [String] {
        ["fi=\(url(RegistryPath.finland).absoluteString)", "no=\(url(RegistryPath.norway).absoluteString)"]
    }
}

/// Runs `body` against a loopback server serving `routes`, with a directory pointed at it.
///
/// The server is stopped on a thread of its own, not in a `defer`: its stop waits for every
/// connection to end (a delayed answer's lasts until its client hangs up), and a pool thread
/// blocked meanwhile is lost to every other test.
public func withRegistry<T>(_ routes: [String: LoopbackHTTPServer.Response], timeout: Duration = .seconds(60),
                            _ body: (RegistryDirectory, LoopbackHTTPServer) async throws -> T) async throws -> T {
    let server = try LoopbackHTTPServer(routes: routes)
    let result: Result<T, any Error>
    do {
        result = .success(try await body(server.registryDirectory(timeout: timeout), server))
    } catch {
        result = .failure(error)
    }
    await onThread { server.stop() }
    return try result.get()
}
