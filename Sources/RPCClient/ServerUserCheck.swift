import Glibc
import RPCCore
import RPCTransport

/// ``ClientConfiguration/serverUsers``: whose server a connection reached, from the kernel
/// (`SO_PEERCRED` gives the uid of the process that called listen(2)), so a socket another user put
/// at the path is refused before the client sends it its HELLO, let alone a request.
enum ServerUserCheck {
    /// - Throws: `UNAVAILABLE` naming the server's uid when it is not in `allowed`, or when the
    ///   kernel does not say (the cause kept).
    static func check(_ socket: any ByteStream, path: String, allowed: Set<UInt32>) throws(RPCError) {
        let server: PeerCredentials
        do {
            server = try socket.peerCredentials()
        } catch {
            throw RPCError(.unavailable, "cannot tell which OS user runs the server at \(path): \(error.reason)", cause: error)
        }
        guard !allowed.contains(server.uid) else { return }
        let expected = allowed.sorted().map { $0 == 0 ? "root" : "uid \($0)" }.joined(separator: " or ")
        throw RPCError(.unavailable, "refusing the server at \(path): it runs as uid \(server.uid) (pid \(server.pid)), "
                       + "not as \(expected), so another user may have put its socket there to receive your calls. "
                       + "Name the socket (socketPath, CUSTOMER_SOCKET or --socket) if you mean to talk to that server")
    }
}
