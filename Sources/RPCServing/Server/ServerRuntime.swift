import RPCCore
import RPCTransport
import ServiceLog
import Synchronization
import ThreadSync

/// What every connection of one server shares: configuration, router, interceptors, counters,
/// and the set of open connections (so shutdown can reach them).
final class ServerRuntime: Sendable {
    let configuration: ServerConfiguration
    let router: Router
    let interceptors: [any ServerInterceptor]
    let logger: Logger
    let statistics: ServerStatistics
    let health: HealthStatusRegistry
    /// Waiting for the next request without sleeping while the server is otherwise idle.
    let idleSpin = IdleSpin()
    /// Refused connections, failed accepts and protocol violations come in floods (a client may
    /// reconnect and misbehave in a loop): one log line a second of each.
    let refusalLog = LogRateLimiter()
    let acceptFailureLog = LogRateLimiter()
    let violationLog = LogRateLimiter()

    private let registry = ConnectionRegistry()

    init(configuration: ServerConfiguration, router: Router, interceptors: [any ServerInterceptor],
         logger: Logger, health: HealthStatusRegistry, statistics: ServerStatistics) {
        self.configuration = configuration
        self.router = router
        self.interceptors = interceptors
        self.logger = logger
        self.health = health
        self.statistics = statistics
    }

    var openConnectionCount: Int { registry.count }

    /// Registers a new connection unless the server is at `maxConnections` or its user at
    /// `maxConnectionsPerUser`.
    func admit(_ connection: ServerConnection) -> Admission {
        let admission = registry.add(connection, limit: configuration.maxConnections,
                                     perUserLimit: configuration.maxConnectionsPerUser)
        if admission == .admitted { statistics.connectionOpened() }
        return admission
    }

    /// Called once by the last thread of a connection, after its socket is closed.
    func connectionClosed(_ connection: ServerConnection) {
        registry.remove(connection)
        statistics.connectionClosed()
    }

    var connections: [ServerConnection] { registry.all }

    /// Waits until every connection is closed or `deadline` passes; true when all are closed.
    func waitForConnections(until deadline: ContinuousClock.Instant) -> Bool {
        registry.waitUntilEmpty(until: deadline)
    }
}

/// Whether a new connection may be served.
enum Admission: Equatable {
    case admitted
    /// The server is at `maxConnections`.
    case serverFull
    /// The connection's OS user is at `maxConnectionsPerUser`.
    case userFull
}

/// The open connections of a server, with a way to wait for the last one to close.
private final class ConnectionRegistry: @unchecked Sendable {   // `connections`, `perUser` guarded by `lock`
    private let lock = ConditionLock()
    private var connections: [ObjectIdentifier: ServerConnection] = [:]
    /// Open connections by peer uid (entries at 0 are removed).
    private var perUser: [UInt32: Int] = [:]

    var count: Int { lock.withLock { connections.count } }

    var all: [ServerConnection] { lock.withLock { Array(connections.values) } }

    func add(_ connection: ServerConnection, limit: Int, perUserLimit: Int) -> Admission {
        lock.withLock {
            guard connections.count < limit else { return .serverFull }
            let uid = connection.peer.uid
            guard perUser[uid, default: 0] < perUserLimit else { return .userFull }
            connections[ObjectIdentifier(connection)] = connection
            perUser[uid, default: 0] += 1
            return .admitted
        }
    }

    func remove(_ connection: ServerConnection) {
        lock.withLock {
            guard connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
            let uid = connection.peer.uid
            let left = perUser[uid, default: 1] - 1
            perUser[uid] = left > 0 ? left : nil
            if connections.isEmpty { lock.broadcast() }
        }
    }

    func waitUntilEmpty(until deadline: ContinuousClock.Instant) -> Bool {
        lock.withLock {
            while !connections.isEmpty {
                if !lock.wait(until: deadline) { break }
            }
            return connections.isEmpty
        }
    }
}
