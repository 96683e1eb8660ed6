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
}
