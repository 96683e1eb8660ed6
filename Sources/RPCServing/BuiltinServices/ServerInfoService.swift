import RPCCore
import RPCTransport

struct ServerInfoService: RPCService {
    let configuration: ServerConfiguration
    let statistics: ServerStatistics
    /// The registered methods, each with its counters (filled once the router is complete).
    let catalog: MethodCatalog

    func register(with router: inout Router) {
        router.registerUnary(RPCServerInfo.GetServerInfo.descriptor) { (_: ServerInfoRequest, context) in
            info(withStatistics: configuration.mayReadStatistics(context.peer))
        }
    }

    /// Versions, limits and uptime for anyone (a health check's), the activity only for callers
    /// `mayReadStatistics` lets see it.
    private func info(withStatistics: Bool) -> ServerInfoResponse {
        var info = ServerInfoResponse()
        info.protocolVersion = UInt32(Handshake.supportedVersions.max() ?? 1)
        info.serverName = configuration.serverName
        info.serverVersion = configuration.serverVersion
        info.uptimeMilliseconds = Self.milliseconds(statistics.startedAt.duration(to: .now))
        info.maxFrameSize = UInt64(configuration.maxFrameSize)
        info.maxConcurrentCallsPerConnection = UInt64(configuration.maxConcurrentCallsPerConnection)
        info.maxConnections = UInt64(configuration.maxConnections)
        info.idleTimeoutMilliseconds = Self.milliseconds(configuration.idleTimeout)
        info.handshakeTimeoutMilliseconds = Self.milliseconds(configuration.handshakeTimeout)
        info.initialStreamWindow = UInt64(configuration.initialStreamWindow)
        info.slowCallThresholdMilliseconds = configuration.slowCallThreshold.map(Self.milliseconds) ?? 0
        info.maxConnectionsPerUser = UInt64(clamping: configuration.maxConnectionsPerUser)
        info.maxCallsPerUser = UInt64(clamping: configuration.maxCallsPerUser)
        info.maxInputBytesPerUser = UInt64(clamping: configuration.maxInputBytesPerUser)
        info.maxQueuedBytesPerUser = UInt64(clamping: configuration.maxQueuedBytesPerUser)
        info.maxServerStreamsPerUser = UInt64(clamping: configuration.maxServerStreamsPerUser)
        info.maxUnaryThreadsPerUser = UInt64(clamping: configuration.maxUnaryThreadsPerUser)
        info.connectionReserve = UInt64(clamping: configuration.appliedConnectionReserve)
        info.connectionReserveUserLimit = UInt64(clamping: configuration.connectionReserveUserLimit)
        info.maxQueuedBytesPerConnection = UInt64(clamping: configuration.maxQueuedBytesPerConnection)
        info.maxQueuedBytesPerStream = UInt64(clamping: configuration.maxQueuedBytesPerStream)
        info.maxBufferedClientStreamBytesPerConnection = UInt64(clamping: configuration.maxBufferedClientStreamBytesPerConnection)
        info.clientStreamMessageTimeoutMilliseconds = Self.milliseconds(configuration.clientStreamMessageTimeout)
        info.shutdownGracePeriodMilliseconds = Self.milliseconds(configuration.shutdownGracePeriod)
        guard withStatistics else {
            info.statisticsWithheld = true
            return info
        }
        let snapshot = statistics.snapshot
        info.connectionsCurrent = snapshot.connectionsCurrent
        info.connectionsTotal = snapshot.connectionsTotal
        info.callsByStatus = StatusCount.nonZero(snapshot.callsByStatus)
        info.methods = catalog.registrations
            .map { $0.statistics.snapshot(method: $0.descriptor.fullName) }
            .filter { $0.calls > 0 }
            .sorted { $0.method < $1.method }
        info.callsInFlight = UInt64(statistics.callsInFlight)
        return info
    }

    static func milliseconds(_ duration: Duration) -> UInt64 {
        duration.saturatingCount(of: .milliseconds(1))
    }
}
