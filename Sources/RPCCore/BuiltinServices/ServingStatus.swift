/// Serving status of the server and of each service, as the health service reports it
/// (numbers as in grpc.health.v1).
public enum ServingStatus: UInt8, Sendable, Codable, CaseIterable {
    case unknown = 0
    case serving = 1
    case notServing = 2
    /// Only in answers: the asked-for service is not registered.
    case serviceUnknown = 3
}
