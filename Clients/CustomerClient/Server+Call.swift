import BinaryCoding

/// A method found by its full name through the server's reflection service, with the schema of
/// its messages: enough to build its requests from JSON-like values and to read its responses, as
/// grpcurl does. For the methods this library has no typed call for.
public struct DynamicMethod: Sendable {
    public let descriptor: MethodDescriptor
    public let kind: MethodKind
    let request: String
    let response: String
    let schema: Schema

    public var fullName: String { descriptor.fullName }

    /// One request message's bytes from a JSON object with the message's field names.
    ///
    /// - Throws: `DynamicMessageError` naming the field the schema cannot take.
    public func encodeRequest(_ value: DynamicValue) throws(DynamicMessageError) -> [UInt8] {
        try DynamicMessage.encoded(request, in: schema, value)
    }

    /// One response message read with the schema: enums by name, decimals as strings, times in ISO 8601.
    public func decodeResponse(_ bytes: [UInt8]) throws(RPCError) -> DynamicValue {
        do {
            return try DynamicReply.decode(bytes, as: response, in: schema)
        } catch {
            throw RPCError(.internalError, "cannot read the response \(response) of \(fullName): \(error)")
        }
    }
}

extension Server {
    /// The method `fullName` (`customer.v1.CustomerService/GetCustomer`) as the server describes it.
    ///
    /// - Throws: `RPCError` INVALID_ARGUMENT for a name that is not SERVICE/METHOD, NOT_FOUND for a
    ///   method the server does not have (listing the service's methods).
    public func method(named fullName: String, options: CallOptions = CallOptions()) async throws -> DynamicMethod {
        let parts = fullName.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw RPCError(.invalidArgument, "'\(fullName)' is not SERVICE/METHOD, e.g. customer.v1.CustomerService/GetCustomer")
        }
        let described = try await describe(services: [parts[0]], options: options)
        let methods = described.services.flatMap(\.methods)
        guard let method = methods.first(where: { $0.name == parts[1] }) else {
            throw RPCError(.notFound, "\(parts[0]) has no method \(parts[1]) (methods: "
                + methods.map(\.name).joined(separator: ", ") + ")")
        }
        return DynamicMethod(descriptor: MethodDescriptor(service: parts[0], method: parts[1], kind: method.kind),
                             kind: method.kind, request: method.request, response: method.response,
                             schema: described.schema)
    }

    /// Calls any unary method by its full name with a request given as JSON-like values.
    ///
    /// - Throws: `DynamicMessageError` for a request the schema cannot take (before anything is
    ///   sent); `RPCError` as `method(named:)` does, UNIMPLEMENTED for a streaming method (call it
    ///   with `serverStream` or `clientStream`), and whatever the server answers the call itself.
    public func call(_ fullName: String, _ request: DynamicValue, options: CallOptions = CallOptions()) async throws
        -> DynamicValue {
        try await call(try await method(named: fullName, options: options), request, options: options)
    }

    /// Calls a unary method with a request given as JSON-like values.
    public func call(_ method: DynamicMethod, _ request: DynamicValue, options: CallOptions = CallOptions()) async throws
        -> DynamicValue {
        guard method.kind == .unary else {
            throw RPCError(.unimplemented, "\(method.fullName) is \(method.kind); call it as a stream")
        }
        let reply = try await channel.unary(method.descriptor, payload: try method.encodeRequest(request), options: options)
        return try method.decodeResponse(reply)
    }

    /// Calls a server-streaming method with one request; `each` gets every response in order, and
    /// the call is cancelled if it throws.
    public func serverStream(
        _ method: DynamicMethod, _ request: DynamicValue, options: CallOptions = CallOptions(),
        _ each: (DynamicValue) async throws -> Void
    ) async throws {
        let payload = try method.encodeRequest(request)
        for try await bytes in channel.serverStreaming(method.descriptor, payload: payload, options: options) {
            try await each(try method.decodeResponse(bytes))
        }
    }

    /// Calls a client-streaming method with the requests in order, and returns its one response.
    /// Every request is encoded before the call starts, so one the schema cannot take sends nothing.
    public func clientStream(_ method: DynamicMethod, _ requests: [DynamicValue], options: CallOptions = CallOptions())
        async throws -> DynamicValue {
        var payloads: [[UInt8]] = []
        for (index, request) in requests.enumerated() {
            do {
                payloads.append(try method.encodeRequest(request))
            } catch {
                throw DynamicMessageError("message \(index + 1): \(error)", at: "")
            }
        }
        return try await clientStream(method, payloads: payloads, options: options)
    }

    /// Calls a client-streaming method with requests already encoded (`DynamicMethod.encodeRequest`).
    public func clientStream(_ method: DynamicMethod, payloads: [[UInt8]], options: CallOptions = CallOptions())
        async throws -> DynamicValue {
        let reply = try await channel.clientStreamingPayload(method.descriptor, options: options) { sender in
            for payload in payloads { try await sender.send(payload: payload) }
        }
        return try method.decodeResponse(reply)
    }
}
