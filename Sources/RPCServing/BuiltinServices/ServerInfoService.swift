import RPCCore
import RPCTransport

struct ServerInfoService: RPCService {
    let configuration: ServerConfiguration
    let statistics: ServerStatistics

    func register(with router: inout Router) {
        router.registerUnary(RPCServerInfo.GetServerInfo.descriptor) { (_: ServerInfoRequest, _) in
            info()
        }
    }

    private func info() -> ServerInfoResponse {
        let snapshot = statistics.snapshot
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
        info.connectionsCurrent = snapshot.connectionsCurrent
        info.connectionsTotal = snapshot.connectionsTotal
        info.callsByStatus = StatusCode.allCases.compactMap { code in
            let count = snapshot.callsByStatus[Int(code.rawValue)]
            return count == 0 ? nil : StatusCount(code: code, count: count)
        }
        return info
    }

    static func milliseconds(_ duration: Duration) -> UInt64 {
        duration.saturatingCount(of: .milliseconds(1))
    }
}
