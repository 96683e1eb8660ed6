import RPCClient
import RPCServing

/// `rpc.health.v1.Health/Check` round trips: `callers` concurrent loops spread over `connections` channels.
struct HealthCheckScenario: Scenario {
    let name: String
    let socketPath: String
    let callers: Int
    let connections: Int
    /// Each call's deadline (`--timeout`).
    let options: CallOptions

    func run(warmUp: Duration, duration: Duration) async throws -> LatencySamples {
        let channels = (0..<connections).map { _ in ClientChannel(socketPath: socketPath) }
        defer { channels.forEach { $0.close() } }
        let request = HealthCheckRequest()
        let roundTrips: [RoundTrip] = (0..<callers).map { index in
            let channel = channels[index % connections]
            return {
                let answer = try await channel.unary(RPCHealth.Check.descriptor, request, as: HealthCheckResponse.self, options: options)
                guard answer.status == .serving else { throw BenchFailure("the server is not serving: \(answer.status)") }
            }
        }
        return try await measureConcurrently(callers: roundTrips, warmUp: warmUp, duration: duration)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
