import CustomerAPI
import RPCClient

extension ClientChannel {
    /// Calls a typed unary method.
    ///
    /// A write that accepts an idempotency key gets a new one when `options` carries none, and is
    /// sent again with that same key while it fails UNAVAILABLE (the connection dropped, the server
    /// was stopping or busy), up to ``IdempotencyKey/attempts`` times in all and within the call's
    /// timeout: a first attempt that committed after all is then answered, not done twice. To retry
    /// later yourself, set ``CallOptions/idempotencyKey`` and send the same options again.
    public func call<Input, Output>(
        _ method: UnaryMethod<Input, Output>, _ request: Input, options: CallOptions = CallOptions()
    ) async throws -> Output {
        guard method.acceptsIdempotencyKey else {
            return try await unary(method.descriptor, request, as: Output.self, options: options)
        }
        return try await keyedRetries(options) { keyed in
            try await unary(method.descriptor, request, as: Output.self, options: keyed)
        }
    }

    /// Runs `attempt` with `options` given an idempotency key (a new one when it carries none), and
    /// again with that same key while it fails UNAVAILABLE, as ``call(_:_:options:)-swift.method``
    /// describes; `attempt` must be able to run again from its start (e.g. re-read its input).
    public func keyedRetries<Output>(
        _ options: CallOptions, _ attempt: (CallOptions) async throws -> Output
    ) async throws -> Output {
        var retries = KeyedRetries(options)
        while true {
            do {
                return try await attempt(retries.options)
            } catch let error as RPCError {
                try await Task.sleep(for: try retries.pause(after: error))
            }
        }
    }

    /// Starts a typed server-streaming call; iterating the result runs it.
    public func call<Input, Output>(
        _ method: ServerStreamingMethod<Input, Output>, _ request: Input, options: CallOptions = CallOptions()
    ) -> ServerStreamResponse<Output> {
        serverStreaming(method.descriptor, request, as: Output.self, options: options)
    }
}
