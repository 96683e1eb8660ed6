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
    /// Refused connections, refused handshakes and protocol violations come in floods (a client
    /// may reconnect and misbehave in a loop): one log line a second of each, per OS user (peer
    /// uid), so one user's flood leaves the other users' lines as they were.
    let refusalLog = PerUserLogRateLimiter(interval: .seconds(1), lines: 1)
    let violationLog = PerUserLogRateLimiter(interval: .seconds(1), lines: 1)
    /// Connections whose first thread cannot start (threads exhausted): one user can open them in a loop.
    let threadStartFailureLog = PerUserLogRateLimiter(interval: .seconds(1), lines: 1)
    /// Failed accepts and peers that cannot be identified have no user to charge: one line a second.
    let acceptFailureLog = LogRateLimiter()
    let unidentifiedPeerLog = LogRateLimiter()
    /// Held-back connections cut at the idle timeout (one user may hold hundreds).
    let idleCutLog = PerUserLogRateLimiter(interval: .seconds(1), lines: 1)
    /// Slow calls: one user can end hundreds a second (watches, paused streams, calls waiting for
    /// the writer), each of which used to write a line. One line per
    /// ``ServerConfiguration/slowCallLogInterval`` per OS user; the next says how many were left
    /// out, and every call is still counted in its method's statistics.
    let slowCallLog: PerUserLogRateLimiter
    /// Calls failed for a cause the caller cannot see (``ServerConfiguration/failedCallLogLimit``).
    let failedCallLog: PerUserLogRateLimiter
    /// ``ServerConfiguration/slowCallThreshold`` in whole nanoseconds, rounded up (a call's duration
    /// is a whole number of them, so `>=` keeps its meaning), for the comparison at every call's end.
    let slowCallNanoseconds: UInt64?

    private let registry = ConnectionRegistry()

    init(configuration: ServerConfiguration, router: Router, interceptors: [any ServerInterceptor],
         logger: Logger, health: HealthStatusRegistry, statistics: ServerStatistics) {
        self.configuration = configuration
        self.router = router
        self.interceptors = interceptors
        self.logger = logger
        self.health = health
        self.statistics = statistics
        slowCallLog = PerUserLogRateLimiter(interval: configuration.slowCallLogInterval, lines: 1)
        failedCallLog = PerUserLogRateLimiter(configuration.failedCallLogLimit)
        slowCallNanoseconds = configuration.slowCallThreshold.map { $0.saturatingCount(of: .nanoseconds(1), roundingUp: true) }
    }

    var openConnectionCount: Int { registry.count }

    /// Registers a new connection unless the server is at `maxConnections`, its user at
    /// `maxConnectionsPerUser`, or the server in its `connectionReserve` and the user holding
    /// `connectionReserveUserLimit`; an admitted one is given its user's budgets of calls, of
    /// server streams, of input bytes and of queued answer bytes (``SharedBudget``).
    func admit(_ connection: ServerConnection) -> Admission {
        let limits = ConnectionLimits(total: configuration.maxConnections, perUser: configuration.maxConnectionsPerUser,
                                      reserve: configuration.appliedConnectionReserve,
                                      reserveUserLimit: configuration.connectionReserveUserLimit)
        let (admission, budgets) = registry.add(connection, limits: limits,
                                                newBudgets: { UserBudgets(calls: SharedBudget(limit: configuration.maxCallsPerUser),
                                                                          serverStreams: SharedBudget(limit: configuration.maxServerStreamsPerUser),
                                                                          unaryThreads: SharedBudget(limit: configuration.maxUnaryThreadsPerUser),
                                                                          inputBytes: SharedBudget(limit: configuration.maxInputBytesPerUser),
                                                                          queuedBytes: SharedBudget(limit: configuration.maxQueuedBytesPerUser)) })
        if let budgets {
            connection.callBudget = budgets.calls
            connection.serverStreamBudget = budgets.serverStreams
            connection.unaryThreadBudget = budgets.unaryThreads
            connection.inputBudget = budgets.inputBytes
            connection.writer.countQueue(in: budgets.queuedBytes, beyond: ServerConnection.uncountedQueuedBytes)
            statistics.connectionOpened()
        }
        return admission
    }

    /// Called once by the last thread of a connection, after its socket is closed.
    func connectionClosed(_ connection: ServerConnection) {
        registry.remove(connection)
        statistics.connectionClosed()
    }

    var connections: [ServerConnection] { registry.all }

    /// The budget of answer bytes queued for `uid` on all its connections (those past each
    /// connection's ``ServerConnection/uncountedQueuedBytes``), nil when it has no connection open;
    /// for tests and statistics.
    func queueBudget(ofUser uid: UInt32) -> SharedBudget? {
        registry.budgets(ofUser: uid)?.queuedBytes
    }

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
    /// The server is in its `connectionReserve` and the user holds `held` connections, at least
    /// `connectionReserveUserLimit`.
    case reserveKept(held: Int)
}

/// The connection limits ``ConnectionRegistry`` admits by (``ServerConfiguration``).
private struct ConnectionLimits {
    let total: Int
    let perUser: Int
    let reserve: Int
    let reserveUserLimit: Int
}

/// What one OS user's connections share: its calls in flight, its server streams open, its unary
/// calls running on threads besides their connections' readers, the input
/// bytes held for it, and the answer bytes queued for it (``FrameWriter/countQueue(in:beyond:)``).
struct UserBudgets {
    let calls: SharedBudget
    let serverStreams: SharedBudget
    let unaryThreads: SharedBudget
    let inputBytes: SharedBudget
    let queuedBytes: SharedBudget
}

/// The open connections of a server, with a way to wait for the last one to close.
private final class ConnectionRegistry: @unchecked Sendable {   // `connections`, `perUser` guarded by `lock`
    private let lock = ConditionLock()
    private var connections: [ObjectIdentifier: ServerConnection] = [:]
    /// Open connections by peer uid, and the budgets they share (entries at 0 connections are
    /// removed; a connection keeps its budgets, so a call ending after its connection left still
    /// gives back to the right counter).
    private var perUser: [UInt32: (connections: Int, budgets: UserBudgets)] = [:]

    var count: Int { lock.withLock { connections.count } }

    var all: [ServerConnection] { lock.withLock { Array(connections.values) } }

    /// Adds the connection unless a limit refuses it; an admitted one gets its user's budgets
    /// (`newBudgets` for a user with no connection open).
    func add(_ connection: ServerConnection, limits: ConnectionLimits,
             newBudgets: () -> UserBudgets) -> (Admission, UserBudgets?) {
        lock.withLock {
            guard connections.count < limits.total else { return (.serverFull, nil) }
            let uid = connection.peer.uid
            let user = perUser[uid] ?? (connections: 0, budgets: newBudgets())
            guard user.connections < limits.perUser else { return (.userFull, nil) }
            // Two users at their own limits must not fill the server: the reserve goes to users holding few.
            if connections.count >= limits.total - limits.reserve, user.connections >= limits.reserveUserLimit {
                return (.reserveKept(held: user.connections), nil)
            }
            connections[ObjectIdentifier(connection)] = connection
            perUser[uid] = (user.connections + 1, user.budgets)
            return (.admitted, user.budgets)
        }
    }

    func budgets(ofUser uid: UInt32) -> UserBudgets? {
        lock.withLock { perUser[uid]?.budgets }
    }

    func remove(_ connection: ServerConnection) {
        lock.withLock {
            guard connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
            let uid = connection.peer.uid
            guard let user = perUser[uid] else { return }
            perUser[uid] = user.connections > 1 ? (user.connections - 1, user.budgets) : nil
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
