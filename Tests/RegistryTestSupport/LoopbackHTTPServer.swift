import Foundation
import Glibc
import Synchronization

/// A canned-answer HTTP/1.1 server on 127.0.0.1 with an ephemeral port, so the real provider
/// code (URLSession included) runs without reaching the internet. One thread accepts; each
/// connection gets one request, one answer and `Connection: close`.
public final class LoopbackHTTPServer: Sendable {
    /// A canned answer.
    public struct Response: Sendable {
        public var status: Int
        public var body: Data
        /// Seconds to wait before answering; the wait ends early when the client hangs up.
        public var delay: Double = 0

        public init(status: Int, body: Data, delay: Double = 0) {
            self.status = status
            self.body = body
            self.delay = delay
        }

        /// A JSON document with `status`.
        public static func json(_ text: String, status: Int = 200) -> Response {
            Response(status: status, body: Data(text.utf8))
        }
    }

    /// A socket call that failed while starting the server.
    public struct SocketError: Error, CustomStringConvertible {
        public let call: String
        public let code: Int32
        public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
    }

    private struct State {
        var requests: [String] = []
        var openConnections = 0
    }

    /// The TCP port on 127.0.0.1 the kernel chose.
    public let port: UInt16
    private let listener: Int32
    private let routes: [String: Response]
    private let state = Mutex(State())
    private let acceptLoopEnded = DispatchSemaphore(value: 0)
    private let connectionsEnded = DispatchSemaphore(value: 0)

    /// Starts serving `routes`, keyed by request target (`/v3/companies?businessId=0112038-9`);
    /// any other target gets 404.
    public init(routes: [String: Response]) throws {
        self.routes = routes
        (listener, port) = try Self.listen()
        let server = self
        Thread { server.acceptLoop() }.start()
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    public func url(_ path: String = "") -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)") ?? URL(fileURLWithPath: "/")
    }

    /// The request targets received so far, in order.
    public var requests: [String] { state.withLock { $0.requests } }

    /// Stops accepting and waits for every connection to finish (a delayed one ends when its client hangs up).
    public func stop() {
        // shutdown(2) wakes the thread blocked in accept(2), which then fails with EINVAL.
        shutdown(listener, Int32(SHUT_RDWR))
        acceptLoopEnded.wait()
        close(listener)
        while state.withLock({ $0.openConnections }) > 0 { connectionsEnded.wait() }
    }

    /// A bound, listening TCP socket on 127.0.0.1 port 0, and the port the kernel chose.
    static func listen() throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && Glibc.listen(fd, 16) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw SocketError(call: "bind/listen/getsockname", code: code)
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    private func acceptLoop() {
        defer { acceptLoopEnded.signal() }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            // A client that connects and never sends a request must not hold its thread, and with
            // it `stop()`, forever: its read gives up after two minutes.
            var limit = timeval(tv_sec: 120, tv_usec: 0)
            _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            state.withLock { $0.openConnections += 1 }
            let server = self
            Thread { server.serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer {
            close(client)
            state.withLock { $0.openConnections -= 1 }
            connectionsEnded.signal()
        }
        guard let target = readRequestTarget(client) else { return }
        state.withLock { $0.requests.append(target) }
        let response = routes[target] ?? .json(#"{"message":"no such path"}"#, status: 404)
        if response.delay > 0, clientHungUp(client, within: response.delay) { return }
        // The reason phrase is informational only (RFC 9112 section 4); clients read the code.
        let head = "HTTP/1.1 \(response.status) \(response.status == 200 ? "OK" : "Canned")\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        write(client, Data(head.utf8) + response.body)
    }

    /// Reads up to the end of the request head and returns the request target of its first line.
    private func readRequestTarget(_ client: Int32) -> String? {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.range(of: Data("\r\n\r\n".utf8)) == nil, received.count < 65536 {
            let count = recv(client, &buffer, buffer.count, 0)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            received.append(contentsOf: buffer[0..<count])
        }
        let firstLine = String(decoding: received, as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = firstLine.split(separator: " ")
        return parts.count == 3 ? String(parts[1]) : nil
    }

    /// Waits up to `seconds` and tells whether the client closed its side meanwhile.
    private func clientHungUp(_ client: Int32, within seconds: Double) -> Bool {
        var descriptor = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(seconds * 1000))
        return ready > 0
    }

    private func write(_ client: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                // MSG_NOSIGNAL: a client that already gave up must not raise SIGPIPE in the test process.
                let sent = send(client, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0, errno == EINTR { continue }
                guard sent > 0 else { return }
                offset += sent
            }
        }
    }
}

/// A loopback port that nothing listens on: bound by the kernel, then closed.
public func closedLoopbackPort() throws -> UInt16 {
    let (fd, port) = try LoopbackHTTPServer.listen()
    close(fd)
    return port
}
