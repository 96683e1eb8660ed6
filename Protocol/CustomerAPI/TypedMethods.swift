import RPCCore

/// A unary method with its request and response types, so that client calls and server
/// handlers are type-checked against the same declaration.
public struct UnaryMethod<Input: Codable & Sendable, Output: Codable & Sendable>: Sendable {
    public let descriptor: MethodDescriptor
    /// A write that honours an `idempotency-key` (see ``IdempotencyKey``): the client library
    /// sends one with every call of it, and the server runs the call once per key.
    public let acceptsIdempotencyKey: Bool

    /// - Parameter mayWaitLong: see ``MethodDescriptor/mayWaitLong``; by default a keyed write,
    ///   which waits for its group commit.
    public init(service: String, method: String, summary: String? = nil, acceptsIdempotencyKey: Bool = false,
                mayWaitLong: Bool? = nil) {
        // The reflection service (and so CUSTOMER-API.md) tells retry-safe writes by their summary.
        let keyNote = acceptsIdempotencyKey ? "Takes an `idempotency-key`." : nil
        let notes = [summary, keyNote].compactMap { $0 }
        descriptor = MethodDescriptor(service: service, method: method, kind: .unary,
                                      summary: notes.isEmpty ? nil : notes.joined(separator: " "),
                                      mayWaitLong: mayWaitLong ?? acceptsIdempotencyKey)
        self.acceptsIdempotencyKey = acceptsIdempotencyKey
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
// typed `Router.register` here, so no method can be registered without one. Clients call them
// through CustomerClient's `ClientChannel.call` (this module knows no channel and no server).
