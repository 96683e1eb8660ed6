import BusinessIdentifiers
import BusinessRegistry
import Foundation
import RegistryTestSupport
import Testing

/// Transport and server failures, the same for both registries.
struct RegistryFailureTests {
    static let countries: [(country: String, vat: String, path: String)] = [
        ("FI", "0112038-9", RegistryPath.finnishCompany("0112038-9")),
        ("NO", "923609016", RegistryPath.norwegianUnit("923609016")),
    ]

    @Test("HTTP 404 is not found", arguments: [countries[0]])
    func notFound(country: String, vat: String, path: String) async throws {
        try await withRegistry([:]) { directory, server in
            let error = try await lookupError(directory, vat, country: country)
            #expect(error == .notFound(id: vat, url: server.url(path).absoluteString, detail: "HTTP 404 Not Found"))
        }
    }

    @Test("HTTP 500 and 503 are unavailable with the status", arguments: countries.indices)
    func serverError(index: Int) async throws {
        let (country, vat, path) = Self.countries[index]
        let status = index == 0 ? 500 : 503
        try await withRegistry([path: .json("{}", status: status)]) { directory, server in
            let error = try await lookupError(directory, vat, country: country)
            #expect(error == .unavailable(reason: "HTTP \(status)", url: server.url(path).absoluteString))
        }
    }

    @Test("an unexpected status is a bad response", arguments: [countries[1]])
    func unexpectedStatus(country: String, vat: String, path: String) async throws {
        try await withRegistry([path: .json("{}", status: 400)]) { directory, server in
            let error = try await lookupError(directory, vat, country: country)
            #expect(error == .badResponse(reason: "unexpected HTTP status 400", url: server.url(path).absoluteString))
        }
    }

    @Test("malformed JSON is a bad response", arguments: countries.indices)
    func malformedJSON(index: Int) async throws {
        let (country, vat, path) = Self.countries[index]
        try await withRegistry([path: .json(#"{"totalResults": 1, "companies": ["#)]) { directory, server in
            let error = try await lookupError(directory, vat, country: country)
            #expect(error == .badResponse(reason: "malformed JSON", url: server.url(path).absoluteString))
        }
    }

    @Test("a value of the wrong type is a bad response naming where")
    func wrongType() async throws {
        let (country, vat, path) = Self.countries[0]
        try await withRegistry([path: .json(#"{"companies": {"businessId": 1}}"#)]) { directory, server in
            let error = try await lookupError(directory, vat, country: country)
            #expect(error == .badResponse(reason: "expected Array<Any> at companies",
                                          url: server.url(path).absoluteString))
        }
    }

    @Test("an answer slower than the timeout is unavailable (timed out)", arguments: countries.indices)
    func timeout(index: Int) async throws {
        let (country, vat, path) = Self.countries[index]
        var slow = try Fixture.response(index == 0 ? Fixture.nokia : Fixture.equinor)
        slow.delay = 3
        try await withRegistry([path: slow], timeout: .milliseconds(500)) { directory, server in
            let error = try await lookupError(directory, vat, country: country)
            #expect(error == .unavailable(reason: "no answer within 0.5 s (timed out)",
                                          url: server.url(path).absoluteString))
        }
    }

    @Test("cancelling the calling task ends the lookup as unavailable (cancelled)")
    func cancellation() async throws {
        let (country, vat, path) = Self.countries[1]
        var slow = try Fixture.response(Fixture.equinor)
        slow.delay = 3
        try await withRegistry([path: slow]) { directory, server in
            let provider = try #require(directory.provider(for: country))
            let id = try VATNumber.parse(vat, country: country)
            let lookup = Task { try await provider.lookup(id) }
            lookup.cancel()
            await #expect(throws: RegistryError.unavailable(reason: "the lookup was cancelled",
                                                            url: server.url(path).absoluteString)) {
                try await lookup.value
            }
        }
    }

    @Test("a refused connection is unavailable, naming the URL")
    func connectionRefused() async throws {
        let port = try closedLoopbackPort()
        let base = try #require(URL(string: "http://127.0.0.1:\(port)/enhetsregisteret/api"))
        let directory = RegistryDirectory(baseURLs: ["NO": base], timeout: .seconds(5))
        let error = try await lookupError(directory, "923609016", country: "NO")
        #expect(error == .unavailable(reason: "connection refused",
                                      url: "http://127.0.0.1:\(port)/enhetsregisteret/api/enheter/923609016"))
    }
}
