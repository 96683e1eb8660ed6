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

    public init() {}
}
