import BinaryCoding

extension Server {
    /// Calls any unary method by its full name (`customer.v1.CustomerService/GetCustomer`) with a
    /// request given as JSON-like values, as grpcurl does: the server's reflection service tells
    /// the request and response messages field by field, the request is built from them and the
    /// answer read with them. For the methods this library has no typed call for.
    ///
    /// - Throws: `DynamicMessageError` for a request the schema cannot take (before anything is
    ///   sent); `RPCError` NOT_FOUND for a method the server does not have, UNIMPLEMENTED for a
    ///   streaming one, and whatever the server answers the call itself.
    public func call(_ fullName: String, _ request: DynamicValue, options: CallOptions = CallOptions()) async throws
        -> DynamicValue {
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
        guard method.kind == .unary else {
            throw RPCError(.unimplemented, "\(fullName) is \(method.kind); only unary methods can be called this way")
        }
        let schema = described.schema
        let message = try DynamicMessage(method.request, in: schema, request)
        let payload: [UInt8]
        do {
            payload = try BinaryEncoder().encode(message)
        } catch let error as DynamicMessageError {
            throw error
        } catch {
            throw DynamicMessageError("cannot encode the request: \(error)", at: "")
        }
        let descriptor = MethodDescriptor(service: parts[0], method: parts[1], kind: .unary)
        let reply = try await channel.unary(descriptor, payload: payload, options: options)
        do {
            return try DynamicReply.decode(reply, as: method.response, in: schema)
        } catch {
            throw RPCError(.internalError, "cannot read the response \(method.response) of \(fullName): \(error)")
        }
    }
}
