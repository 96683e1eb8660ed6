import RPCCore
import RPCTransport
import ThreadSync

/// What the health service answers. The empty service name stands for the whole server.
/// Every registered service starts as SERVING; shutdown turns everything NOT_SERVING.
/// Read by every health check on every connection, changed at start-up and shutdown: readers
/// share its lock (``ReadMostly``).
public final class HealthStatusRegistry: Sendable {
    private let statuses = ReadMostly<[String: ServingStatus]>([:])

    init(services: [String]) {
        statuses.write { statuses in
            statuses[""] = .serving
            for service in services { statuses[service] = .serving }
        }
    }

    /// Sets the status of `service` (the empty name: the server as a whole).
    public func setStatus(_ status: ServingStatus, forService service: String = "") {
        statuses.write { $0[service] = status }
    }

    /// The status of `service`, SERVICE_UNKNOWN for names never registered or set.
    public func status(forService service: String = "") -> ServingStatus {
        statuses.read { $0[service] } ?? .serviceUnknown
    }

    /// Sets every service's status and the server's (the server's database gone: every service
    /// depends on it).
    public func setAll(_ status: ServingStatus) {
        statuses.write { statuses in
            for key in statuses.keys { statuses[key] = status }
        }
    }
}
