import BinaryCoding
import RPCCore
import RPCTransport
import ServiceLog
import Synchronization

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
            throw RPCError(.notFound, "no service named \(TerminalText.quoted(unknown, quote: "\""))",
                           details: [ErrorDetail(field: "services", reason: "unknown service \(TerminalText.quoted(unknown, quote: ""))")])
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
