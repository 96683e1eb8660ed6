import RPCServing

/// The slow-call log line names the user, and the service acting for them, beside the socket's uid.
extension Caller: LoggableCaller {
    var logFields: [(String, String)] {
        [("user", user.name)] + (service.map { [("via", $0.name)] } ?? [])
    }
}
