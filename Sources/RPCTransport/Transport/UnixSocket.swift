import Glibc
import RPCCore

/// A connected or listening Unix domain stream socket: a thin, typed layer over the file descriptor.
///
/// It does not own the descriptor's lifetime: the connection or listener holding it closes it
/// exactly once, after every thread using it is done (a closed number can be reused at once).
package struct UnixSocket: ByteStream, Hashable {
    package let fd: Int32

    package init(fd: Int32) { self.fd = fd }

    /// `sun_path` holds 108 bytes on Linux, one of which is the terminating NUL.
    package static let maxPathLength = 107

    /// A new blocking stream socket, close-on-exec so handlers that spawn processes do not leak it.
    package static func makeStreamSocket() throws(IOError) -> UnixSocket {
        UnixSocket(fd: try syscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) })
    }

    /// Connects to `path`; the error keeps `errno` (ENOENT: no such file, ECONNREFUSED: stale socket).
    package static func connect(to path: String) throws(IOError) -> UnixSocket {
        let socket = try makeStreamSocket()
        do {
            try withAddress(path) { address, length throws(IOError) in
                _ = try syscall("connect") { Glibc.connect(socket.fd, address, length) }
            }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Calls `body` with a `sockaddr_un` for `path`; a path too long for `sun_path` is ENAMETOOLONG.
    package static func withAddress<T>(_ path: String,
                               _ body: (UnsafePointer<sockaddr>, socklen_t) throws(IOError) -> T) throws(IOError) -> T {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let utf8 = Array(path.utf8)
        guard !utf8.isEmpty, utf8.count <= maxPathLength else { throw IOError(call: "sockaddr_un", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: utf8)
            raw[utf8.count] = 0
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + utf8.count + 1)
        let result: Result<T, IOError> = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                do throws(IOError) { return .success(try body(generic, length)) } catch { return .failure(error) }
            }
        }
        return try result.get()
    }

    /// Waits until the socket is readable, then reads what is available; 0 means the peer closed.
    /// When `timeout` passes first, throws EAGAIN.
    ///
    /// Why poll(2) first: a thread blocked in read(2) on a Unix stream socket sleeps on the same wait
    /// queue as writers and is woken every time the peer consumes data we wrote (`unix_write_space`),
    /// i.e. once per call for nothing. A poll for POLLIN is only woken for input (`perf` showed these
    /// spurious wake-ups as a large share of the RPC's context switches).
    package func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws(IOError) -> Int {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = timeout.map { Int32(clamping: $0.saturatingCount(of: .milliseconds(1), roundingUp: true)) } ?? -1
        let ready = try syscall("poll") { poll(&descriptor, 1, milliseconds) }
        guard ready > 0 else { throw IOError(call: "poll", errno: EAGAIN) }
        return try syscall("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Reads what is available without waiting: nil when nothing is (EAGAIN), 0 when the peer closed.
    package func readIfAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int? {
        let count = recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
        if count >= 0 { return count }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
        throw IOError(call: "recv", errno: code)
    }

    /// Writes every byte. MSG_NOSIGNAL: a peer that went away yields EPIPE instead of killing the
    /// process with SIGPIPE (POSIX send(2)).
    package func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            offset += try syscall("send") { send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// Writes every byte as ``writeAll(_:)`` does, without sleeping in `send`: what the socket takes
    /// at once (MSG_DONTWAIT; the whole of it, for a peer that reads, in one call as before), then
    /// poll(2) for room. Throws ETIMEDOUT once the socket has taken no byte for `stallLimit`, so a
    /// thread never waits for a peer that reads nothing for longer than that.
    package func writeAll(_ bytes: UnsafeRawBufferPointer, givingUpAfter stallLimit: Duration) throws(IOError) {
        var rest = bytes
        var stalledSince: ContinuousClock.Instant?
        while !rest.isEmpty {
            let taken = try writeAvailable(rest)
            if taken > 0 {
                rest = UnsafeRawBufferPointer(rebasing: rest[taken...])
                stalledSince = nil
                continue
            }
            let now = ContinuousClock.now
            let since = stalledSince ?? now
            stalledSince = since
            let remaining = now.duration(to: since + stallLimit)
            guard remaining > .zero else { throw IOError(call: "send", errno: ETIMEDOUT) }
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let milliseconds = Int32(clamping: remaining.saturatingCount(of: .milliseconds(1), roundingUp: true))
            // A wake-up for an error or a hang-up is reported by the next send (EPIPE).
            if poll(&descriptor, 1, milliseconds) < 0 && errno != EINTR { throw IOError(call: "poll", errno: errno) }
        }
    }

    /// Writes what the socket's buffer takes now (MSG_DONTWAIT; none on EAGAIN or EINTR).
    package func writeAvailable(_ bytes: UnsafeRawBufferPointer) throws(IOError) -> Int {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        let count = send(fd, base, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        if count >= 0 { return count }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return 0 }
        throw IOError(call: "send", errno: code)
    }

    /// The kernel's record of the peer process (`SO_PEERCRED`: pid, uid, gid as three 32-bit ints;
    /// Glibc only exposes `struct ucred` to C under _GNU_SOURCE, so it is read as raw integers).
    package func peerCredentials() throws(IOError) -> PeerCredentials {
        var raw: (Int32, UInt32, UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout.size(ofValue: raw))
        _ = try syscall("getsockopt(SO_PEERCRED)") { getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &raw, &length) }
        return PeerCredentials(uid: raw.1, gid: raw.2, pid: raw.0)
    }

    package func close() {
        // close(2) must not be retried on EINTR on Linux: the descriptor is released either way.
        _ = Glibc.close(fd)
    }

    package func shutdown(_ direction: StreamDirection) {
        switch direction {
        case .reading: _ = Glibc.shutdown(fd, Int32(SHUT_RD))
        case .writing: _ = Glibc.shutdown(fd, Int32(SHUT_WR))
        case .both: _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
        }
    }

    /// A poll(2) error counts as input: the read that follows reports it.
    package func hasInput() -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    package var pollDescriptor: Int32? { fd }

    /// On a Unix socket only a full close (or shutdowns of both halves) raises POLLHUP, the
    /// peer's `shutdown(SHUT_WR)` alone does not.
    package func isClosedBothWays() -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        return poll(&descriptor, 1, 0) < 0 || descriptor.revents & Int16(POLLHUP | POLLERR) != 0
    }
}
