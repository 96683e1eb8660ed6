import RPCCore
import RPCTransport

/// Why a server could not start (or was used in the wrong state); the message names the path and cause.
public struct RPCServerError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// Another server is listening on the socket path.
        case addressInUse
        /// The path is too long, or something that is not a socket is in the way.
        case invalidSocketPath
        /// The socket's directory is not the server user's alone (another owner, or writable by
        /// group or others), or is a symbolic link.
        case unsafeSocketDirectory
        /// The process may not create or replace the socket file.
        case permissionDenied
        /// Any other failed system call.
        case systemCallFailed
        /// A socket handed to the process (socket activation) is not a listening Unix stream
        /// socket, or not the one socket expected.
        case invalidInheritedSocket
        /// `start()` on a server that is running or already stopped.
        case invalidState
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
