import Glibc
@testable import RPCClient
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

/// The client of a scripted fake server. The fake server runs on a thread of its own that a busy
/// machine may schedule seconds late, and the client's default 5 s connect timeout then ends the
/// handshake first (its socket is closed before the fake server's HELLO: "send: Broken pipe" in a
/// whole loaded run), so the client waits for the handshake as long as the fake server may take
/// to accept.
func fakeServerChannel(name: String, path: String) -> ClientChannel {
    var configuration = ClientConfiguration()
    configuration.connectTimeout = .seconds(testWaitLimit)
    return ClientChannel(name: name, configuration: configuration) { () throws(IOError) -> any ByteStream in
        try UnixSocket.connect(to: path)
    }
}
