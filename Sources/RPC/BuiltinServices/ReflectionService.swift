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

/// The methods of a server, filled in once its router is complete (reflection lists itself too).
final class MethodCatalog: Sendable {
    private let methods = Mutex<[RegisteredMethod]>([])

    func set(_ methods: [RegisteredMethod]) {
        self.methods.withLock { $0 = methods }
    }

    /// The registered methods in registration order.
    var registrations: [RegisteredMethod] { methods.withLock { $0 } }

    /// The registered methods by service, services sorted by name, methods in registration order.
    private var byService: [(name: String, methods: [RegisteredMethod])] {
        let methods = self.methods.withLock { $0 }
        let grouped = Dictionary(grouping: methods, by: \.descriptor.service)
        return grouped.keys.sorted().map { ($0, grouped[$0] ?? []) }
    }

    var services: [ServiceDescription] {
        byService.map { service in
            ServiceDescription(
                name: service.name,
                methods: service.methods.map { MethodDescription(name: $0.descriptor.method, kind: $0.descriptor.kind) })
        }
    }

    /// The services named (all when `names` is empty) with their methods' messages. Recorded
    /// from the registered types on each call: reflection is rare, and nothing is kept.
    func describe(_ names: [String]) throws -> DescribeServicesResponse {
        let known = byService
        if let unknown = names.first(where: { name in !known.contains { $0.name == name } }) {
            throw RPCError(.notFound, "no service named \"\(unknown)\"",
                           details: [ErrorDetail(field: "services", reason: "unknown service \(unknown)")])
        }
        let chosen = names.isEmpty ? known : known.filter { names.contains($0.name) }
        var messageTypes: [any Decodable.Type] = []
        let services = chosen.map { service in
            ServiceSchema(name: service.name, methods: service.methods.map { method in
                if let request = method.types.request as? any Decodable.Type { messageTypes.append(request) }
                if let response = method.types.response as? any Decodable.Type { messageTypes.append(response) }
                return MethodSchema(
                    name: method.descriptor.method, kind: method.descriptor.kind,
                    request: Schema.name(of: method.types.request), response: Schema.name(of: method.types.response),
                    requirement: method.types.requirement, summary: method.descriptor.summary)
            })
        }
        let schema: Schema
        do {
            schema = try Schema.of(messageTypes)
        } catch {
            throw RPCError(.internalError, "the messages of the services cannot be described: \(error)")
        }
        return DescribeServicesResponse(services: services, messages: schema.messages, enums: schema.enums)
    }
}

struct ReflectionService: RPCService {
    let catalog: MethodCatalog

    func register(with router: inout Router) {
        router.registerUnary(RPCReflection.ListServices.descriptor) { (_: ListServicesRequest, _) in
            ListServicesResponse(services: catalog.services)
        }
        router.registerUnary(RPCReflection.DescribeServices.descriptor) { (request: DescribeServicesRequest, _) in
            try catalog.describe(request.services)
        }
    }
}
