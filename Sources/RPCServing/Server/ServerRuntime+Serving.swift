import RPCCore
import RPCTransport

extension ServerRuntime {
    /// Takes over a connected stream (accepted from the listener, or handed over in process):
    /// identifies the peer, admits the connection under the connection limit and starts its first
    /// thread. A connection that cannot be served is closed; one over the limit is told why first.
    func serve(_ socket: any ByteStream) {
        let connection: ServerConnection
        do {
            connection = try ServerConnection(socket: socket, runtime: self)
        } catch {
            logger.warning("dropping a connection whose peer cannot be identified", [("error", error.description)])
            socket.close()
            return
        }
        guard admit(connection) else {
            let limit = configuration.maxConnections
            logger.warning("refusing a connection: limit reached", [("limit", "\(limit)")])
            try? socket.writeAll(GoAway(code: .resourceExhausted, message: "too many connections (limit \(limit))").frame())
            socket.close()
            return
        }
        do {
            try connection.start()
        } catch {
            logger.error("cannot start a connection thread", [("error", error.description)])
        }
    }
}
