import BinaryCoding
import RPCCore
import RPCTransport

/// Maps fully qualified method names (`package.Service/Method`) to synchronous handlers.
///
/// Handlers run on the connection thread that read the call (see ``RPCServer``), so they are plain
/// blocking closures: they may wait on SQLite or a lock without holding up other connections.
/// Registering a name twice keeps the last handler.
public struct Router: Sendable {
    private(set) var handlers: [String: RegisteredMethod] = [:]
    private var order: [MethodDescriptor] = []

    public init() {}

    /// Every registered method, in registration order.
    public var methods: [MethodDescriptor] { order }

    /// Every registered method with its message types, in registration order (for reflection).
    var registrations: [RegisteredMethod] { order.compactMap { handlers[$0.fullName] } }

    /// Registers a unary method. `requirement` says, for reflection and the API reference, what a
    /// caller needs (e.g. a right); the router does not check it.
    public mutating func registerUnary<Req: Decodable & Sendable, Res: Encodable & Sendable>(
        _ method: MethodDescriptor, requirement: String? = nil,
        _ handler: @escaping @Sendable (Req, ServerContext) throws -> Res
    ) {
        add(method, MethodTypes(Req.self, Res.self, requirement), .unary { payload, context in
            let request = try Self.decode(Req.self, from: payload, for: method)
            return EncodedBytes(try Self.encode(try handler(request, context), for: method))
        })
    }

    /// Registers a unary method whose handler writes its response's bytes itself (see
    /// ``EncodedMessage``); reflection lists `Res` as its response, as for any other.
    public mutating func registerUnary<Req: Decodable & Sendable, Res: Encodable & Sendable>(
        _ method: MethodDescriptor, requirement: String? = nil,
        encoding handler: @escaping @Sendable (Req, ServerContext) throws -> EncodedMessage<Res>
    ) {
        add(method, MethodTypes(Req.self, Res.self, requirement), .unary { payload, context in
            let request = try Self.decode(Req.self, from: payload, for: method)
            return try handler(request, context).encoded
        })
    }

    /// Registers a unary method whose handler hands its answer on instead of returning it: the
    /// handler returns once it gave `answer` to whoever finishes the call (for a create, the
    /// group commit that writes it), and the connection's thread goes back to its socket. The
    /// handler must not throw after handing `answer` on (a throw answers the call at once, and a
    /// write it handed on could still commit); its answer comes through `answer`, exactly once.
    public mutating func registerUnary<Req: Decodable & Sendable, Res: Encodable & Sendable>(
        _ method: MethodDescriptor, requirement: String? = nil,
        answeringLater handler: @escaping @Sendable (Req, ServerContext, _ answer: @escaping @Sendable (Result<Res, any Error>) -> Void) throws -> Void
    ) {
        add(method, MethodTypes(Req.self, Res.self, requirement), .unaryLater { payload, context, later in
            let request = try Self.decode(Req.self, from: payload, for: method)
            try handler(request, context) { result in
                switch result.flatMap({ response in Result { try Self.encode(response, for: method) } }) {
                case .success(let bytes): later.succeed(bytes)
                case .failure(let error): later.fail(error)
                }
            }
        })
    }

    public mutating func registerServerStreaming<Req: Decodable & Sendable, Res: Encodable & Sendable>(
        _ method: MethodDescriptor, requirement: String? = nil,
        _ handler: @escaping @Sendable (Req, ServerStreamWriter<Res>, ServerContext) throws -> Void
    ) {
        add(method, MethodTypes(Req.self, Res.self, requirement), .serverStreaming { payload, context in
            let request = try Self.decode(Req.self, from: payload, for: method)
            try handler(request, ServerStreamWriter<Res>(context: context), context)
        })
    }

    public mutating func registerClientStreaming<Req: Decodable & Sendable, Res: Encodable & Sendable>(
        _ method: MethodDescriptor, requirement: String? = nil,
        _ handler: @escaping @Sendable (ClientStreamReader<Req>, ServerContext) throws -> Res
    ) {
        add(method, MethodTypes(Req.self, Res.self, requirement), .clientStreaming { context in
            try Self.encode(try handler(ClientStreamReader<Req>(context: context), context), for: method)
        })
    }

    func lookup(_ fullName: String) -> RegisteredMethod? { handlers[fullName] }

    private mutating func add(_ method: MethodDescriptor, _ types: MethodTypes, _ handler: MethodHandler) {
        let registered = RegisteredMethod(descriptor: method, types: types, handler: handler)
        if handlers.updateValue(registered, forKey: method.fullName) == nil {
            order.append(method)
        } else if let index = order.firstIndex(where: { $0.fullName == method.fullName }) {
            order[index] = method
        }
    }

    /// Field occurrences one request message may hold, its nested messages' included (ENCODING.md
    /// §9): the cap on what decoding a request costs before any handler can refuse it, checked as
    /// each is indexed. Without it a 4 MiB request of 1 398 086 one-letter names was decoded into
    /// 93 MiB before its handler's cap of 64 refused it. The largest honest request is an import's
    /// batch, customerctl's 1 000 rows of up to 32 occurrences each (with their nested fields) and
    /// one per keyword and role, which customerctl keeps to 100 000 a batch
    /// (`CustomerImport.nextBatch()`): 1 000 rows with every field set fit four times over.
    public static let requestOccurrenceLimit = 131_072
    /// Elements of packed runs one request may hold: each costs at most 8 bytes decoded.
    public static let requestPackedElementLimit = 262_144

    /// The decoder of every request: the default one with the limits above.
    private static let requestDecoder: BinaryDecoder = {
        var decoder = BinaryDecoder()
        decoder.maxOccurrences = requestOccurrenceLimit
        decoder.maxPackedElements = requestPackedElementLimit
        return decoder
    }()

    static func decode<T: Decodable>(_ type: T.Type, from payload: [UInt8], for method: MethodDescriptor) throws -> T {
        do {
            return try requestDecoder.decode(type, from: payload)
        } catch let error as DecodingError {
            throw RPCError(.invalidArgument, "cannot decode the request message of \(method.fullName): \(error.wireDescription)")
        } catch {
            throw RPCError(.invalidArgument, "cannot decode the request message of \(method.fullName): \(error)")
        }
    }

    static func encode<T: Encodable>(_ value: T, for method: MethodDescriptor) throws -> [UInt8] {
        do {
            return try BinaryEncoder().encode(value)
        } catch {
            throw RPCError(.internalError, "cannot encode the response message of \(method.fullName)")
        }
    }
}

/// A method with its type-erased handler working on encoded messages. A class: every call looks
/// one up and keeps it, and a struct of these fields cost each copy their retains and releases.
final class RegisteredMethod: Sendable {
    let descriptor: MethodDescriptor
    let types: MethodTypes
    let handler: MethodHandler
    /// Its calls since start, shared by every copy of the router (see server-info).
    let statistics = MethodStatistics()

    init(descriptor: MethodDescriptor, types: MethodTypes, handler: MethodHandler) {
        self.descriptor = descriptor
        self.types = types
        self.handler = handler
    }
}

/// A method's messages (of one request or response; of each, for a stream) and what a caller
/// needs, as reflection describes them.
struct MethodTypes: Sendable {
    /// Decodable, always (kept as `Any.Type`, which is Sendable where `any Decodable.Type` is not).
    let request: Any.Type
    /// Decodable too for every method of this repository, but a handler may answer an Encodable only.
    let response: Any.Type
    let requirement: String?

    init(_ request: any Decodable.Type, _ response: Any.Type, _ requirement: String?) {
        self.request = request
        self.response = response
        self.requirement = requirement
    }
}

enum MethodHandler: Sendable {
    var isUnary: Bool {
        switch self {
        case .unary, .unaryLater: return true
        case .serverStreaming, .clientStreaming: return false
        }
    }

    /// Request bytes in, response bytes out (where their encoder wrote them: see `EncodedBytes`).
    case unary(@Sendable ([UInt8], ServerContext) throws -> EncodedBytes)
    /// Request bytes in; the response bytes, or the error, go to the ``LaterAnswer`` when ready.
    case unaryLater(@Sendable ([UInt8], ServerContext, LaterAnswer) throws -> Void)
    /// Request bytes in; responses go out through the context's stream.
    case serverStreaming(@Sendable ([UInt8], ServerContext) throws -> Void)
    /// Requests come in through the context's stream; response bytes out.
    case clientStreaming(@Sendable (ServerContext) throws -> [UInt8])
}
