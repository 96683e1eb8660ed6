import RPC

/// A unary method with its request and response types, so that client calls and server
/// handlers are type-checked against the same declaration.
public struct UnaryMethod<Input: Codable & Sendable, Output: Codable & Sendable>: Sendable {
    public let descriptor: MethodDescriptor

    public init(service: String, method: String, summary: String? = nil) {
        descriptor = MethodDescriptor(service: service, method: method, kind: .unary, summary: summary)
    }
}

/// A server-streaming method: one request, a stream of `Output` messages.
public struct ServerStreamingMethod<Input: Codable & Sendable, Output: Codable & Sendable>: Sendable {
    public let descriptor: MethodDescriptor

    public init(service: String, method: String, summary: String? = nil) {
        descriptor = MethodDescriptor(service: service, method: method, kind: .serverStreaming, summary: summary)
    }
}

// Servers register typed methods through CustomerServer's `GuardedRouter`, which takes each
// method together with what it needs (its permission requirement); there is deliberately no
// typed `Router.register` here, so no method can be registered without one.

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
