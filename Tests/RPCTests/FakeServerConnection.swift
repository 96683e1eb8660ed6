import Glibc
@testable import RPCServing
@testable import RPCTransport
import TestSupport

/// The server side of one connection for a scripted fake server (a test playing a hostile server
/// on a real socket): accepted within the test's wait limit, the client's HELLO answered. The
/// caller reads the client's magic and frames itself, and closes the socket.
func acceptFakeServerConnection(on listener: SocketFileListener, serverName: String) throws -> UnixSocket {
    var waiting = pollfd(fd: listener.socket.fd, events: Int16(POLLIN), revents: 0)
    guard poll(&waiting, 1, Int32(testWaitLimit * 1000)) == 1 else { throw IOError(call: "poll", errno: ETIMEDOUT) }
    let descriptor = accept(listener.socket.fd, nil, nil)
    guard descriptor >= 0 else { throw IOError(call: "accept", errno: errno) }
    let socket = UnixSocket(fd: descriptor)
    do {
        try socket.writeAll(ServerHello(version: 1, maxFrameSize: 1 << 20, maxConcurrentCalls: 100, initialWindow: 1 << 16,
                                        serverName: serverName, serverVersion: "0").frame())
    } catch {
        socket.close()
        throw error
    }
    return socket
}
