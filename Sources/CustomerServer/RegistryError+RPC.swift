import BusinessRegistry
import RPCServing

/// Registry failures as wire statuses. The messages name the URL that was asked and why it
/// failed: they hold no customer data, only the business id and the registry's address.
extension RegistryError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .notFound:
            return RPCError(.notFound, description)
        case .unavailable, .badResponse:
            // A registry that answers nonsense is as useless right now as one that does not
            // answer; both are worth retrying later (a fixed registry, a fixed URL option).
            return RPCError(.unavailable, description)
        case .unsupported:
            return RPCError(.failedPrecondition, description)
        }
    }
}
