import RPC

/// A unary method with its request and response types, so that client calls and server
/// handlers are type-checked against the same declaration.
public struct UnaryMethod<Input: Codable & Sendable, Output: Codable & Sendable>: Sendable {
    public let descriptor: MethodDescriptor

    public init(service: String, method: String) {
        descriptor = MethodDescriptor(service: service, method: method, kind: .unary)
    }
}

/// A server-streaming method: one request, a stream of `Output` messages.
public struct ServerStreamingMethod<Input: Codable & Sendable, Output: Codable & Sendable>: Sendable {
    public let descriptor: MethodDescriptor

    public init(service: String, method: String) {
        descriptor = MethodDescriptor(service: service, method: method, kind: .serverStreaming)
    }
}

extension Router {
    /// Registers the handler of a typed unary method.
    public mutating func register<Input, Output>(
        _ method: UnaryMethod<Input, Output>, _ handler: @escaping @Sendable (Input, ServerContext) throws -> Output
    ) {
        registerUnary(method.descriptor, handler)
    }

    /// Registers the handler of a typed server-streaming method.
    public mutating func register<Input, Output>(
        _ method: ServerStreamingMethod<Input, Output>,
        _ handler: @escaping @Sendable (Input, ServerStreamWriter<Output>, ServerContext) throws -> Void
    ) {
        registerServerStreaming(method.descriptor, handler)
    }
}

extension ClientChannel {
    /// Calls a typed unary method.
    public func call<Input, Output>(
        _ method: UnaryMethod<Input, Output>, _ request: Input, options: CallOptions = CallOptions()
    ) async throws -> Output {
        try await unary(method.descriptor, request, as: Output.self, options: options)
    }

    /// Starts a typed server-streaming call; iterating the result runs it.
    public func call<Input, Output>(
        _ method: ServerStreamingMethod<Input, Output>, _ request: Input, options: CallOptions = CallOptions()
    ) -> ServerStreamResponse<Output> {
        serverStreaming(method.descriptor, request, as: Output.self, options: options)
    }
}
