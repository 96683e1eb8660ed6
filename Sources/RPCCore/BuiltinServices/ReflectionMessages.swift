import BinaryCoding
import Synchronization

/// `rpc.reflection.v1.Reflection`: the services and methods a server offers, with their kinds,
/// and (DescribeServices) their messages field by field, so a generic client can build any request.
public enum RPCReflection {
    public static let serviceName = "rpc.reflection.v1.Reflection"

    /// `rpc.reflection.v1.Reflection/ListServices` (unary).
    public enum ListServices {
        public static let descriptor = MethodDescriptor(service: serviceName, method: "ListServices", kind: .unary)
        public typealias Input = ListServicesRequest
        public typealias Output = ListServicesResponse
    }

    /// `rpc.reflection.v1.Reflection/DescribeServices` (unary).
    public enum DescribeServices {
        public static let descriptor = MethodDescriptor(service: serviceName, method: "DescribeServices", kind: .unary)
        public typealias Input = DescribeServicesRequest
        public typealias Output = DescribeServicesResponse
    }
}

/// No fields.
public struct ListServicesRequest: Codable, Sendable, Hashable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: NoFields.self)
    }
}

/// Field 1: method name (without the service), 2: kind.
public struct MethodDescription: Codable, Sendable, Hashable {
    public var name: String
    public var kind: MethodKind

    public init(name: String, kind: MethodKind) {
        self.name = name
        self.kind = kind
    }

    enum CodingKeys: Int, CodingKey {
        case name = 1
        case kind = 2
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        kind = try container.decodeIfPresent(MethodKind.self, forKey: .kind) ?? .unary
    }
}

/// Field 1: fully qualified service name, 2: its methods in registration order.
public struct ServiceDescription: Codable, Sendable, Hashable {
    public var name: String
    public var methods: [MethodDescription]

    public init(name: String, methods: [MethodDescription]) {
        self.name = name
        self.methods = methods
    }

    enum CodingKeys: Int, CodingKey {
        case name = 1
        case methods = 2
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        methods = try container.decodeIfPresent([MethodDescription].self, forKey: .methods) ?? []
    }
}

/// Field 1: every service, sorted by name.
public struct ListServicesResponse: Codable, Sendable, Hashable {
    public var services: [ServiceDescription]

    public init(services: [ServiceDescription]) {
        self.services = services
    }

    enum CodingKeys: Int, CodingKey {
        case services = 1
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        services = try container.decodeIfPresent([ServiceDescription].self, forKey: .services) ?? []
    }
}
