import CommandLineKit
import Foundation
import Glibc
import TestSupport

/// What systemd does for a socket-activated `Type=notify` service, done by hand: it binds the
/// listening socket, starts customerd with it as descriptor 3 and LISTEN_FDS/LISTEN_PID set, and
/// reads the datagrams customerd sends to NOTIFY_SOCKET.
final class FakeServiceManager: Sendable {
    /// NOTIFY_SOCKET's value: a path, or `@name` for an abstract address.
    let notifyAddress: String
    private let notifyDescriptor: Int32

    init(notifyAddress: String) throws {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        do {
            try Self.bind(descriptor, to: notifyAddress)
        } catch {
            close(descriptor)
            throw error
        }
        self.notifyAddress = notifyAddress
        notifyDescriptor = descriptor
    }

    deinit {
        close(notifyDescriptor)
    }

    /// A Unix stream socket bound to `path` and listening, as a `.socket` unit's ListenStream= makes it.
    static func listeningSocket(at path: String) throws -> Int32 {
        try socket(type: SOCK_STREAM, boundTo: path, listening: true)
    }

    /// A Unix socket of `type` bound to `path`, listening or not.
    static func socket(type: __socket_type, boundTo path: String, listening: Bool) throws -> Int32 {
        let descriptor = Glibc.socket(AF_UNIX, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        do {
            try bind(descriptor, to: path)
            if listening, listen(descriptor, 16) != 0 { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// Starts customerd with `descriptors` as 3, 4, ... and the activation variables set.
    /// `listenPID`: nil for customerd's own pid (the wrapper shell sets it to `$$` before exec,
    /// as systemd sets it for the process it forks); standard error goes to `standardError` if given.
    /// `listenFDs`: LISTEN_FDS when it is to lie about `descriptors` (descriptors from 3 on that
    /// are not passed are closed first).
    func start(_ arguments: [String], passing descriptors: [Int32], listenPID: String? = nil,
               listenFDs: String? = nil, standardError: Int32? = nil) throws -> ChildProcess {
        let customerd = try Products.url(of: "customerd").path
        var environment = ProcessInfo.processInfo.environment
        environment["LISTEN_FDS"] = listenFDs ?? String(descriptors.count)
        environment["LISTEN_FDNAMES"] = Array(repeating: "customerd.socket", count: descriptors.count).joined(separator: ":")
        environment["NOTIFY_SOCKET"] = notifyAddress
        environment["LISTEN_PID"] = listenPID
        let closing = listenFDs == nil ? "" : (3 + descriptors.count...9).map { "exec \($0)>&-; " }.joined()
        let script = closing + (listenPID == nil ? "LISTEN_PID=$$; export LISTEN_PID; exec \"$0\" \"$@\"" : "exec \"$0\" \"$@\"")
        return try ChildProcess.spawn("/bin/sh", ["-c", script, customerd] + arguments, environment: environment,
                                      standardError: standardError, passing: descriptors)
    }

    /// Reads notifications until one holds `assignment` (e.g. `READY=1`), on a thread of its own;
    /// every datagram read meanwhile is returned, that one last. Throws when none comes within a
    /// generous bound (a hung customerd must fail the test, not hang the suite).
    func waitFor(_ assignment: String) async throws -> [String] {
        try await onThread { [self] in
            var received: [String] = []
            while true {
                var descriptor = pollfd(fd: notifyDescriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&descriptor, 1, 120_000) > 0 else {
                    throw NotificationMissing(assignment: assignment, received: received)
                }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = buffer.withUnsafeMutableBytes { recv(notifyDescriptor, $0.baseAddress, $0.count, 0) }
                guard count >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
                let datagram = String(decoding: buffer.prefix(count), as: UTF8.self)
                received.append(datagram)
                if datagram.split(separator: "\n").contains(Substring(assignment)) { return received }
            }
        }
    }

    struct NotificationMissing: Error, CustomStringConvertible {
        let assignment: String
        let received: [String]
        var description: String { "no \(assignment) on NOTIFY_SOCKET; received \(received)" }
    }

    /// bind(2) to a path, or to an abstract address for `@name` (leading NUL, no terminator).
    private static func bind(_ descriptor: Int32, to address: String) throws {
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 } else { bytes.append(0) }
        guard bytes.count <= MemoryLayout.size(ofValue: socketAddress.sun_path) else { throw POSIXError(.ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let result = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, length) }
        }
        guard result == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }
}
