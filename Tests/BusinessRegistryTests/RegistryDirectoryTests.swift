import BusinessRegistry
import Foundation
import Testing

struct RegistryDirectoryTests {
    @Test("the defaults are the public registries; an override replaces one country only")
    func baseURLs() throws {
        #expect(RegistryDirectory.defaultBaseURLs["FI"]?.absoluteString == "https://avoindata.prh.fi/opendata-ytj-api/v3")
        #expect(RegistryDirectory.defaultBaseURLs["NO"]?.absoluteString == "https://data.brreg.no/enhetsregisteret/api")
        let local = try #require(URL(string: "http://127.0.0.1:9000/v3"))
        let directory = RegistryDirectory(baseURLs: ["fi": local], timeout: .seconds(2))
        #expect(directory.baseURLs["FI"] == local)
        #expect(directory.baseURLs["NO"] == RegistryDirectory.defaultBaseURLs["NO"])
        #expect(directory.timeout == .seconds(2))
    }

    @Test("only Finland and Norway have providers")
    func providers() {
        let directory = RegistryDirectory()
        #expect(directory.provider(for: "FI")?.country == "FI")
        #expect(directory.provider(for: "no")?.country == "NO")
        #expect(directory.provider(for: "SE") == nil)
        #expect(directory.provider(for: "") == nil)
    }

    @Test("--registry-url values parse to a country and a URL",
          arguments: [("fi=http://127.0.0.1:8080/v3", "FI", "http://127.0.0.1:8080/v3"),
                      ("NO = https://data.example/enhetsregisteret/api", "NO", "https://data.example/enhetsregisteret/api")])
    func parsesOption(option: String, country: String, url: String) throws {
        let parsed = try RegistryDirectory.parseBaseURLOption(option)
        #expect(parsed.country == country)
        #expect(parsed.url.absoluteString == url)
    }

    @Test("malformed --registry-url values are refused with the reason",
          arguments: [("http://127.0.0.1:8080", RegistryOptionError.missingCountry("http://127.0.0.1:8080"),
                       "expected COUNTRY=URL (e.g. fi=http://127.0.0.1:8080/v3), got \"http://127.0.0.1:8080\""),
                      ("se=http://x", .unsupportedCountry("SE"),
                       "no registry provider for country \"SE\" (supported: FI, NO)"),
                      ("fi=ftp://x/v3", .invalidURL("ftp://x/v3"), "\"ftp://x/v3\" is not an http or https URL with a host"),
                      ("fi=", .invalidURL(""), "\"\" is not an http or https URL with a host"),
                      ("no=http:///api", .invalidURL("http:///api"), "\"http:///api\" is not an http or https URL with a host")])
    func refusesOption(option: String, error: RegistryOptionError, message: String) {
        #expect(throws: error) { try RegistryDirectory.parseBaseURLOption(option) }
        #expect(error.description == message)
    }
}
