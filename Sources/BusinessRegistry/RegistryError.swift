/// Why a registry lookup gave no record.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The registry does not know the id (HTTP 404, an empty result; Norway's 410 Gone is a deregistration, not this).
    case notFound(id: String, url: String, detail: String)
    /// The registry could not be asked or did not answer in time: connection refused,
    /// timeout, HTTP 429 or 5xx. Worth retrying later.
    case unavailable(reason: String, url: String)
    /// The registry answered something this code cannot read: malformed JSON, an unexpected
    /// shape, an unexpected HTTP status.
    case badResponse(reason: String, url: String)
    /// The id cannot be asked of this provider (another country, or a number that was not checked).
    case unsupported(reason: String)

    public var description: String {
        switch self {
        case .notFound(let id, let url, let detail):
            return "the registry has no company \(id) (\(detail)) at \(url)"
        case .unavailable(let reason, let url):
            return "the registry is unavailable: \(reason) (\(url))"
        case .badResponse(let reason, let url):
            return "the registry's answer could not be read: \(reason) (\(url))"
        case .unsupported(let reason):
            return reason
        }
    }
}
