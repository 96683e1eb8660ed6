import RPCCore
import RPCTransport

/// What the accept loop accepts connections on and releases when the server stops: a socket file
/// this server created (``SocketFileListener``) or one it was handed (``InheritedListeningSocket``).
protocol ListeningSocket: Sendable {
    var socket: UnixSocket { get }
    /// Where callers reach it, for the logs.
    var path: String { get }
    /// What is wrong with the socket's file or directory now (removed, replaced, opened to
    /// others), in an operator's words; nil when nothing is, or when they are not this server's.
    func problem() -> String?
    func close()
}

extension SocketFileListener: ListeningSocket {}
