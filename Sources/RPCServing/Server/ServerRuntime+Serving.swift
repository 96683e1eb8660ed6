import RPCCore
import RPCTransport
import ServiceLog

extension ServerRuntime {
    /// Takes over a connected stream (accepted from the listener, or handed over in process):
    /// identifies the peer, admits the connection under the connection limit and starts its first
    /// thread. A connection that cannot be served is closed; one over the limit is told why first.
    func serve(_ socket: any ByteStream) {
        let connection: ServerConnection
        do {
            connection = try ServerConnection(socket: socket, runtime: self)
        } catch {
            if let suppressed = unidentifiedPeerLog.admit() {
                logger.warning("dropping a connection whose peer cannot be identified",
                               LogRateLimiter.fields([("error", error.description)], suppressed: suppressed))
            }
            socket.close()
            return
        }
        let message: String
        switch admit(connection) {
        case .admitted:
            do {
                try connection.start()
            } catch {
                if let suppressed = threadStartFailureLog.admit(uid: connection.peer.uid) {
                    logger.error("cannot start a connection thread", LogRateLimiter.fields(
                        [("peer_uid", "\(connection.peer.uid)"), ("error", error.description)], suppressed: suppressed))
                }
            }
            return
        case .serverFull:
            message = "too many connections (limit \(configuration.maxConnections))"
        case .userFull:
            message = "too many connections from uid \(connection.peer.uid) (limit \(configuration.maxConnectionsPerUser) per user)"
        case .reserveKept(let held):
            message = "too many connections (limit \(configuration.maxConnections)): the last \(configuration.connectionReserve) "
                + "are kept for users holding fewer than \(configuration.connectionReserveUserLimit), and uid \(connection.peer.uid) holds \(held)"
        }
        if let suppressed = refusalLog.admit(uid: connection.peer.uid) {
            logger.warning("refusing a connection: \(message)",
                           LogRateLimiter.fields([("peer_uid", "\(connection.peer.uid)"), ("peer_pid", "\(connection.peer.pid)")],
                                                 suppressed: suppressed))
        }
        // A fresh socket's send buffer is empty: this small write does not block the accept thread.
        try? socket.writeAll(GoAway(code: .resourceExhausted, message: message).frame())
        socket.close()
    }
}
