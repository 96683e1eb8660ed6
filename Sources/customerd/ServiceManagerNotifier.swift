import Glibc
import ServiceLog
import RPCTransport

/// Tells the service manager how customerd is doing (systemd's `Type=notify`), as sd_notify(3)
/// does, written by hand: one datagram of newline-separated `KEY=value` assignments sent to the
/// Unix socket `NOTIFY_SOCKET` names (a path, or `@name` for an abstract address).
///
/// A notification that cannot be sent is logged and customerd goes on: serving matters more
/// than the report (the service manager then times the start out itself).
struct ServiceManagerNotifier: Sendable {
    /// The value of NOTIFY_SOCKET.
    let address: String
    let logger: Logger

    /// The notifier for NOTIFY_SOCKET, nil when it is unset (customerd was not started by a
    /// service manager that listens). The variable is removed from the environment, as
    /// sd_notify(unset_environment) does, so no process customerd starts reports in its name.
    static func fromEnvironment(logger: Logger) -> ServiceManagerNotifier? {
        guard let value = getenv("NOTIFY_SOCKET") else { return nil }
        let address = String(cString: value)
        unsetenv("NOTIFY_SOCKET")
        return ServiceManagerNotifier(address: address, logger: logger)
    }

    /// Before the database is opened (a large one may take a while to check and migrate).
    func starting(database: String) {
        send([("STATUS", "Opening the database \(database)")])
    }

    /// The socket accepts calls: `Type=notify` units count as started from here. MAINPID names
    /// this process in case a wrapper (a shell, setpriv) started it.
    func ready(socket: String) {
        send([("READY", "1"), ("STATUS", "Serving on \(socket)"), ("MAINPID", String(getpid()))])
    }

    /// A stop has begun: calls in flight get their grace period.
    func stopping(signal: Int32?) {
        let cause = signal.map { $0 == SIGTERM ? " (SIGTERM)" : $0 == SIGINT ? " (SIGINT)" : $0 == SIGHUP ? " (SIGHUP)" : " (signal \($0))" } ?? ""
        send([("STOPPING", "1"), ("STATUS", "Stopping\(cause): finishing the calls in flight")])
    }

    /// customerd could not start; `systemctl status` shows this line beside the exit code.
    func failed(_ reason: String) {
        send([("STATUS", "Failed to start: \(reason)")])
    }

    /// One datagram with the assignments; a newline in a value would start another assignment,
    /// so values are kept to one line.
    private func send(_ assignments: [(String, String)]) {
        let message = assignments.map { key, value in
            key + "=" + value.map { $0.isNewline ? " " : String($0) }.joined()
        }.joined(separator: "\n") + "\n"
        do {
            try Self.sendDatagram(Array(message.utf8), to: address)
        } catch {
            logger.warning("cannot notify the service manager", [("NOTIFY_SOCKET", address), ("error", error.description)])
        }
    }

    private static func sendDatagram(_ bytes: [UInt8], to address: String) throws(IOError) {
        var socketAddress = sockaddr_un()
        let length = try fill(&socketAddress, with: address)
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(call: "socket", errno: errno) }
        defer { close(descriptor) }
        while true {
            let sent = withUnsafePointer(to: &socketAddress) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL), $0, length)
                }
            }
            if sent >= 0 { return }
            if errno != EINTR { throw IOError(call: "sendto", errno: errno) }
        }
    }

    /// `sockaddr_un` for a path (NUL-terminated) or `@name`, an abstract address: its first byte
    /// is NUL and the address length, not a terminator, ends the name (unix(7)).
    private static func fill(_ socketAddress: inout sockaddr_un, with address: String) throws(IOError) -> socklen_t {
        var bytes = Array(address.utf8)
        switch bytes.first {
        case UInt8(ascii: "@"):
            bytes[0] = 0
        case UInt8(ascii: "/"):
            bytes.append(0)
        default:
            // systemd also knows vsock: addresses (for virtual machines); customerd runs on the host.
            throw IOError(call: "NOTIFY_SOCKET (neither an absolute path nor @name)", errno: EAFNOSUPPORT)
        }
        let capacity = MemoryLayout.size(ofValue: socketAddress.sun_path)
        guard bytes.count <= capacity else { throw IOError(call: "NOTIFY_SOCKET", errno: ENAMETOOLONG) }
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes) }
        return socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
    }
}
