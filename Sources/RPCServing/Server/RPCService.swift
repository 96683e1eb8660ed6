import RPCCore
import RPCTransport

/// A service registers its methods with a router; the server builds one router from all services.
public protocol RPCService: Sendable {
    func register(with router: inout Router)
}

/// Runs before every handler, in the order given to the server (e.g. identity, then permission);
/// throwing refuses the call with that error, converted like a handler's error.
public protocol ServerInterceptor: Sendable {
    func intercept(_ context: ServerContext) throws
}
