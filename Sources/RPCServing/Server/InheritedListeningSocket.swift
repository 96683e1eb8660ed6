import Glibc
import DirectorySafety
import RPCCore
import RPCTransport

/// A listening socket this process was handed already open, e.g. by systemd's socket activation
/// (sd_listen_fds(3): descriptor 3 and up). The server accepts on it as it is: it does not bind,
/// set a mode or group, or remove a file at shutdown, since the socket and its file belong to
/// whoever created them (the service manager keeps listening after this process stops).
public struct InheritedListeningSocket: Sendable, Hashable {
    /// The open descriptor; the server closes it when it stops.
    public let descriptor: Int32
    /// Where callers reach it: a path, `@name` for an abstract address, or `unnamed`.
    public let address: String

    /// Takes `descriptor` over after checking it is what the server can serve: a Unix domain
    /// stream socket that is listening. Anything else (a closed number, a file, a TCP or datagram
    /// socket, one nobody called listen(2) on) is refused with a message saying what it is.
    /// The descriptor is made close-on-exec, so no child process keeps it open.
    public init(adopting descriptor: Int32) throws(RPCServerError) {
        let name = "the inherited file descriptor \(descriptor)"
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw Self.refusal("\(name) is not open (\(String(cString: strerror(errno))))")
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw Self.refusal("\(name) is \(FileKind.described(info.st_mode)), not a socket")
        }
        let domain = try Self.option(SO_DOMAIN, of: descriptor, name: name)
        guard domain == AF_UNIX else {
            throw Self.refusal("\(name) is \(domain == AF_INET || domain == AF_INET6 ? "an IP" : "a domain \(domain)") socket, "
                               + "not a Unix domain socket (AF_UNIX)")
        }
        let type = try Self.option(SO_TYPE, of: descriptor, name: name)
        guard type == Int32(SOCK_STREAM.rawValue) else {
            throw Self.refusal("\(name) is a Unix \(Self.typeName(type)) socket, not a stream socket (SOCK_STREAM)")
        }
        guard try Self.option(SO_ACCEPTCONN, of: descriptor, name: name) != 0 else {
            throw Self.refusal("\(name) is a Unix stream socket that is not listening (listen(2) was not called on it)")
        }
        guard fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0 else {
            throw Self.refusal("cannot make \(name) close-on-exec: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.address = Self.boundAddress(of: descriptor)
    }

    private static func refusal(_ message: String) -> RPCServerError {
        RPCServerError(.invalidInheritedSocket, message)
    }

    private static func option(_ option: Int32, of descriptor: Int32, name: String) throws(RPCServerError) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, option, &value, &length) == 0 else {
            throw refusal("cannot inspect \(name): \(String(cString: strerror(errno)))")
        }
        return value
    }

    private static func typeName(_ type: Int32) -> String {
        switch type {
        case Int32(SOCK_DGRAM.rawValue): return "datagram"
        case Int32(SOCK_SEQPACKET.rawValue): return "seqpacket"
        default: return "type \(type)"
        }
    }

    /// getsockname(2): a path, or `@` and the name for an abstract address (its first byte is NUL
    /// and its length, not a terminating NUL, ends it: unix(7)).
    private static func boundAddress(of descriptor: Int32) -> String {
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let familySize = MemoryLayout<sa_family_t>.size
        guard result == 0, Int(length) > familySize else { return "unnamed" }
        let bytes = withUnsafeBytes(of: address.sun_path) { Array($0.prefix(min(Int(length) - familySize, $0.count))) }
        guard let first = bytes.first else { return "unnamed" }
        if first == 0 { return "@" + String(decoding: bytes.dropFirst(), as: UTF8.self) }
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}

extension InheritedListeningSocket: ListeningSocket {
    var socket: UnixSocket { UnixSocket(fd: descriptor) }
    var path: String { address }

    /// The service manager's socket: its file and directory are the manager's to keep.
    func problem() -> String? { nil }

    /// Closes this process's descriptor only: the file, if any, stays for the service manager.
    func close() {
        socket.close()
    }
}
