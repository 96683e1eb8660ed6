/// The runtime's built-in services (health, server info, reflection) of the server this client talks to.
public struct Server: Sendable {
    let channel: ClientChannel

    /// SERVING / NOT_SERVING overall (empty `service`) or for one service; SERVICE_UNKNOWN for a
    /// service the server does not have. Answers any caller that can reach the socket.
    public func health(service: String = "", options: CallOptions = CallOptions()) async throws -> ServingStatus {
        let response = try await channel.unary(
            RPCHealth.Check.descriptor, HealthCheckRequest(service: service), as: HealthCheckResponse.self,
            options: options)
        return response.status
    }

    /// Versions, uptime, limits, and counters of connections and calls by status.
    public func info(options: CallOptions = CallOptions()) async throws -> ServerInfoResponse {
        try await channel.unary(
            RPCServerInfo.GetServerInfo.descriptor, ServerInfoRequest(), as: ServerInfoResponse.self, options: options)
    }

    /// The services the server offers and their methods.
    public func services(options: CallOptions = CallOptions()) async throws -> [ServiceDescription] {
        try await channel.unary(
            RPCReflection.ListServices.descriptor, ListServicesRequest(), as: ListServicesResponse.self,
            options: options
        ).services
    }

    /// The services named (every one when none) with each method's request and response message,
    /// and those messages field by field (names, numbers, types) with the enums they use: enough
    /// to build any request by field name. NOT_FOUND for a service the server does not have.
    public func describe(services: [String] = [], options: CallOptions = CallOptions()) async throws
        -> DescribeServicesResponse {
        try await channel.unary(
            RPCReflection.DescribeServices.descriptor, DescribeServicesRequest(services: services),
            as: DescribeServicesResponse.self, options: options)
    }
}
