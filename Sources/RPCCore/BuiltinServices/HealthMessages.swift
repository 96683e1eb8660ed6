/// `rpc.health.v1.Health`: is the server (empty service name) or one service serving?
public enum RPCHealth {
    public static let serviceName = "rpc.health.v1.Health"

    /// `rpc.health.v1.Health/Check` (unary).
    public enum Check {
        public static let descriptor = MethodDescriptor(service: serviceName, method: "Check", kind: .unary)
        public typealias Input = HealthCheckRequest
        public typealias Output = HealthCheckResponse
    }
}

/// Field 1: the fully qualified service name; empty asks about the server as a whole.
public struct HealthCheckRequest: Codable, Sendable, Hashable {
    public var service: String

    public init(service: String = "") {
        self.service = service
    }

    enum CodingKeys: Int, CodingKey {
        case service = 1
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        service = try container.decodeIfPresent(String.self, forKey: .service) ?? ""
    }
}

/// Field 1: SERVING, NOT_SERVING or SERVICE_UNKNOWN (numbers as in grpc.health.v1).
public struct HealthCheckResponse: Codable, Sendable, Hashable {
    public var status: ServingStatus

    public init(status: ServingStatus) {
        self.status = status
    }

    enum CodingKeys: Int, CodingKey {
        case status = 1
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeIfPresent(ServingStatus.self, forKey: .status) ?? .unknown
    }
}
