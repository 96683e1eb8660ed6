import CustomerServer
import Glibc
import ServiceLog
import RPCServing

/// systemd's socket activation, read by hand (the protocol of sd_listen_fds(3), no libsystemd):
/// the service manager binds the socket, and starts customerd with it open as descriptor 3,
/// `LISTEN_FDS` (how many descriptors from 3 on), `LISTEN_PID` (the process they are meant for)
/// and `LISTEN_FDNAMES` (their names, colon-separated).
enum SocketActivation {
    /// SD_LISTEN_FDS_START: passed descriptors start right after standard error.
    static let firstDescriptor: Int32 = 3

    enum Outcome {
        /// Nothing was passed: customerd creates its own socket.
        case none
        /// The variables name another process (`LISTEN_PID`), e.g. they leaked from a parent
        /// through a shell: the descriptors are not ours to take.
        case meantForAnotherProcess(pid: String)
        /// The socket to serve, and its name (`FileDescriptorName=`, by default the socket unit's).
        case socket(InheritedListeningSocket, name: String?)
    }

    /// Serves the socket the service manager passed (`outcome`, of ``fromEnvironment()``), if any,
    /// in place of the socket file customerd would create: `explicitOptions` (the socket options
    /// given on the command line) then do not apply, since the socket unit sets the socket's path,
    /// mode and group.
    static func apply(_ outcome: Outcome, to configuration: inout CustomerServerConfiguration, explicitOptions: [String],
                      logger: Logger) {
        switch outcome {
        case .none:
            return
        case .meantForAnotherProcess(let pid):
            logger.notice("not taking the sockets in LISTEN_FDS: LISTEN_PID names another process",
                          [("LISTEN_PID", pid), ("pid", String(getpid()))])
        case .socket(let socket, let name):
            configuration.rpc.inheritedSocket = socket
            configuration.socketPath = socket.address
            logger.info("socket activation: serving the socket the service manager passed",
                        [("socket", socket.address), ("name", name ?? "")])
            if !explicitOptions.isEmpty {
                logger.warning("socket activation: \(explicitOptions.joined(separator: ", ")) ignored; "
                               + "the socket unit sets the socket's path, mode and group")
            }
        }
    }

    /// What the service manager passed; read before customerd opens any descriptor of its own, which
    /// would take number 3 when nothing was passed. The three variables are removed from the environment
    /// either way, as sd_listen_fds(1) does, so a process customerd starts never takes them
    /// (and descriptor 3) for its own.
    /// - Throws: `RPCServerError` (`.invalidInheritedSocket`) when the count is not a number,
    ///   when more than one socket was passed, or when descriptor 3 is not a listening Unix
    ///   stream socket; the message says which.
    static func fromEnvironment() throws(RPCServerError) -> Outcome {
        let pid = take("LISTEN_PID")
        let count = take("LISTEN_FDS")
        let names = take("LISTEN_FDNAMES")
        guard let count else { return .none }
        guard let pid, pid == String(getpid()) else { return .meantForAnotherProcess(pid: pid ?? "unset") }
        guard let number = Int(count), number >= 0 else {
            throw RPCServerError(.invalidInheritedSocket, "LISTEN_FDS is '\(count)', not a number of file descriptors")
        }
        guard number > 0 else { return .none }
        guard number == 1 else {
            throw RPCServerError(.invalidInheritedSocket,
                                 "the service manager passed \(number) sockets (LISTEN_FDS=\(number)"
                                 + (names.map { ", LISTEN_FDNAMES=\($0)" } ?? "")
                                 + "); customerd serves exactly one: give its socket unit a single ListenStream=")
        }
        let socket = try InheritedListeningSocket(adopting: firstDescriptor)
        return .socket(socket, name: names.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The variable's value, removed from the environment.
    private static func take(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let string = String(cString: value)
        unsetenv(name)
        return string
    }
}
