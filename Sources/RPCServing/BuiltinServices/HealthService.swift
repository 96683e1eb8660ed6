import RPCCore
import RPCTransport

struct HealthService: RPCService {
    let registry: HealthStatusRegistry

    func register(with router: inout Router) {
        router.registerUnary(RPCHealth.Check.descriptor) { (request: HealthCheckRequest, _) in
            HealthCheckResponse(status: registry.status(forService: request.service))
        }
    }
}
