import RPCCore
import RPCTransport

/// What the accept loop accepts connections on and releases when the server stops: a socket file
/// this server created (``SocketFileListener``) or one it was handed (``InheritedListeningSocket``).
protocol ListeningSocket: Sendable {
    var socket: UnixSocket { get }
    /// Where callers reach it, for the logs.
    var path: String { get }
    func close()
}

extension SocketFileListener: ListeningSocket {}
