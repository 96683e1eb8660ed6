import BusinessIdentifiers
import Foundation

/// The registry providers by country, sharing one HTTP session with one timeout.
public struct RegistryDirectory: Sendable {
    /// The public registries: PRH's YTJ v3 API for Finland, Brønnøysund's Enhetsregisteret for Norway.
    public static let defaultBaseURLs: [String: URL] = [
        "FI": URL(string: "https://avoindata.prh.fi/opendata-ytj-api/v3"),
        "NO": URL(string: "https://data.brreg.no/enhetsregisteret/api"),
    ].compactMapValues { $0 }

    /// The countries that have a provider.
    public static let supportedCountries = ["FI", "NO"]

    /// The base URL per upper-case country code, the defaults overridden by the `init` argument.
    public let baseURLs: [String: URL]
    /// The limit for one lookup, connection and answer together.
    public let timeout: Duration
    private let http: RegistryHTTPClient

    /// - Parameters:
    ///   - baseURLs: base URLs by country code (any case); each entry replaces that country's default.
    ///   - timeout: how long one lookup may take before it fails as `.unavailable`.
    public init(baseURLs: [String: URL] = [:], timeout: Duration = .seconds(10)) {
        var merged = Self.defaultBaseURLs
        for (country, url) in baseURLs { merged[country.uppercased()] = url }
        self.baseURLs = merged
        self.timeout = timeout
        self.http = RegistryHTTPClient(timeout: timeout)
    }

    /// The provider for `country` (any case), or `nil` when its registry is not supported.
    public func provider(for country: String) -> (any RegistryProvider)? {
        let code = country.uppercased()
        guard let baseURL = baseURLs[code] else { return nil }
        switch code {
        case "FI": return FinnishRegistryProvider(baseURL: baseURL, http: http)
        case "NO": return NorwegianRegistryProvider(baseURL: baseURL, http: http)
        default: return nil
        }
    }

    /// Parses one `--registry-url` value, `fi=http://127.0.0.1:8080/v3`, into an upper-case
    /// country code and an http(s) URL.
    public static func parseBaseURLOption(_ option: String) throws(RegistryOptionError) -> (country: String, url: URL) {
        guard let equals = option.firstIndex(of: "=") else {
            throw .missingCountry(option)
        }
        let country = option[..<equals].trimmingCharacters(in: .whitespaces).uppercased()
        let text = option[option.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard supportedCountries.contains(country) else {
            throw .unsupportedCountry(country)
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host?.isEmpty == false else {
            throw .invalidURL(text)
        }
        return (country, url)
    }
}

/// Why a `--registry-url` value was refused.
public enum RegistryOptionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `country=` before the URL.
    case missingCountry(String)
    /// A country without a registry provider.
    case unsupportedCountry(String)
    /// Not an absolute http or https URL with a host.
    case invalidURL(String)

    public var description: String {
        switch self {
        case .missingCountry(let option):
            return "expected COUNTRY=URL (e.g. fi=http://127.0.0.1:8080/v3), got \"\(option)\""
        case .unsupportedCountry(let country):
            let supported = RegistryDirectory.supportedCountries.joined(separator: ", ")
            return "no registry provider for country \"\(country)\" (supported: \(supported))"
        case .invalidURL(let text):
            return "\"\(text)\" is not an http or https URL with a host"
        }
    }
}
