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

    /// Registers a new connection; false when the server is at `maxConnections` or draining.
    func admit(_ connection: ServerConnection) -> Bool {
        guard registry.add(connection, limit: configuration.maxConnections) else { return false }
        statistics.connectionOpened()
        return true
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

/// The open connections of a server, with a way to wait for the last one to close.
private final class ConnectionRegistry: @unchecked Sendable {   // `connections` guarded by `lock`
    private let lock = ConditionLock()
    private var connections: [ObjectIdentifier: ServerConnection] = [:]

    var count: Int { lock.withLock { connections.count } }

    var all: [ServerConnection] { lock.withLock { Array(connections.values) } }

    func add(_ connection: ServerConnection, limit: Int) -> Bool {
        lock.withLock {
            guard connections.count < limit else { return false }
            connections[ObjectIdentifier(connection)] = connection
            return true
        }
    }

    func remove(_ connection: ServerConnection) {
        lock.withLock {
            connections[ObjectIdentifier(connection)] = nil
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
