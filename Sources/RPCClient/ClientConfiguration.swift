import RPCCore
import RPCTransport

/// Settings of a ``ClientChannel``.
public struct ClientConfiguration: Sendable {
    /// Largest frame this client accepts (default 4 MiB); the server keeps its answers within it.
    public var maxFrameSize: Int = 4 * 1024 * 1024
    /// How long connecting plus the handshake may take (default 5 s).
    public var connectTimeout: Duration = .seconds(5)
    /// Sent to the server in HELLO (for its logs).
    public var clientName: String = "rpc-client"
    /// Per-stream flow-control window for server-to-client messages (default 256 KiB): how much of
    /// a server stream is buffered here before the server must wait for the consumer.
    public var initialStreamWindow: Int = 256 * 1024
    /// The OS users (uids) the server may run as, checked with `SO_PEERCRED` as soon as the socket
    /// connects, before a byte is sent: a server of any other uid is refused `UNAVAILABLE` naming
    /// it. nil (the default): any. The customer clients set it for the default socket, which is the
    /// user's own: another local user who got its socket there would otherwise receive the calls.
    public var serverUsers: Set<UInt32>?

    public init() {}
}
