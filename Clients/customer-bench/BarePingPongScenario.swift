import CommandLineKit
import Glibc

/// The floor: the same byte counts as one RPC round trip over socketpair(2) Unix stream sockets,
/// with a plain blocking echo thread per connection and a blocking caller thread per connection.
struct BarePingPongScenario: Scenario {
    let name: String
    let connections: Int
    let requestBytes: Int
    let responseBytes: Int

    func run(warmUp: Duration, duration: Duration) async throws -> LatencySamples {
        let pairs = try (0..<connections).map { _ in try SocketPair() }
        defer { pairs.forEach { $0.close() } }
        let (requestBytes, responseBytes) = (self.requestBytes, self.responseBytes)
        for pair in pairs {
            let echoSide = pair.server
            Task.detached {
                // Ends with an error once the caller's side is closed.
                _ = try? await runOnThread {
                    defer { Glibc.close(echoSide.fd) }
                    var request = [UInt8](repeating: 0, count: requestBytes)
                    let response = [UInt8](repeating: 1, count: responseBytes)
                    while true {
                        try echoSide.readExactly(&request)
                        try echoSide.writeAll(response)
                    }
                }
            }
        }
        let roundTrips: [BlockingRoundTrip] = pairs.map { pair in
            let client = pair.client
            return {
                var response = [UInt8](repeating: 0, count: responseBytes)
                try client.writeAll([UInt8](repeating: 2, count: requestBytes))
                try client.readExactly(&response)
            }
        }
        return try await measureOnThreads(callers: roundTrips, warmUp: warmUp, duration: duration)
    }
}

/// A connected pair of Unix stream sockets, the least a round trip between two threads can cost.
struct SocketPair: Sendable {
    let client: BlockingSocket
    let server: BlockingSocket

    init() throws {
        var descriptors: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &descriptors) == 0 else {
            throw BenchFailure("socketpair: \(String(cString: strerror(errno)))")
        }
        client = BlockingSocket(fd: descriptors[0])
        server = BlockingSocket(fd: descriptors[1])
    }

    func close() {
        // shutdown first: it wakes the echo thread blocked in read, which then leaves its loop.
        _ = Glibc.shutdown(client.fd, Int32(SHUT_RDWR))
        Glibc.close(client.fd)
    }
}

/// Exact-length blocking reads and writes on one descriptor.
struct BlockingSocket: Sendable {
    let fd: Int32

    func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                raw.baseAddress.map { send(fd, $0 + offset, raw.count - offset, Int32(MSG_NOSIGNAL)) } ?? -1
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw BenchFailure("send: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    func readExactly(_ buffer: inout [UInt8]) throws {
        var offset = 0
        let count = buffer.count
        while offset < count {
            let got = buffer.withUnsafeMutableBytes { raw in raw.baseAddress.map { read(fd, $0 + offset, count - offset) } ?? -1 }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw BenchFailure("read: \(got == 0 ? "end of stream" : String(cString: strerror(errno)))") }
            offset += got
        }
    }
}
