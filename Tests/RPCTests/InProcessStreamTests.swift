import TestSupport
import Glibc
import ServiceLog
import Testing
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport

/// The in-memory duplex behaves like a connected Unix socket pair where the RPC layer can tell,
/// and a server and a client talk over it without a socket file. Every blocking read or write
/// runs on a thread of its own (``ThreadLauncher/run(_:)``), never on the test's task.
@Suite struct InProcessStreamTests {
    static let alice = PeerCredentials(uid: 5001, gid: 500, pid: 101)
    static let server = PeerCredentials(uid: 0, gid: 0, pid: 1)

    static func pair(capacity: Int = 256 * 1024) -> (client: InProcessStream, server: InProcessStream) {
        InProcessStream.pair(clientCredentials: alice, serverCredentials: server, capacity: capacity)
    }

    /// Reads until the end of the stream, on the calling thread.
    static func readToEnd(_ stream: InProcessStream) throws -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1000)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer in try stream.read(into: buffer) }
            if count == 0 { return received }
            received += chunk[..<count]
        }
    }

    @Test func eachEndSeesTheOthersCredentials() throws {
        let (client, server) = Self.pair()
        #expect(try client.peerCredentials() == Self.server)
        #expect(try server.peerCredentials() == Self.alice)
    }

    @Test func bytesArriveInOrderThroughABufferSmallerThanTheWrite() async throws {
        let (client, server) = Self.pair(capacity: 4096)
        let sent = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        // The writer waits for the reader four kilobytes at a time, as on a socket.
        async let wrote: Result<Void, IOError> = ThreadLauncher.run {
            defer { client.shutdown(.writing) }
            return Result { () throws(IOError) in try client.writeAll(sent) }
        }
        let received = await ThreadLauncher.run { Result { try Self.readToEnd(server) } }
        try await wrote.get()
        #expect(try received.get() == sent)
    }

    @Test func aReadWithATimeoutThrowsEAGAINWhenNothingArrives() {
        let (_, server) = Self.pair()
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(throws: IOError(call: "poll", errno: EAGAIN)) {
            _ = try buffer.withUnsafeMutableBytes { raw throws(IOError) in try server.read(into: raw, timeout: .milliseconds(1)) }
        }
    }

    @Test func readIfAvailableDoesNotWait() throws {
        let (client, server) = Self.pair()
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(try buffer.withUnsafeMutableBytes { raw throws(IOError) in try server.readIfAvailable(into: raw) } == nil)
        try client.writeAll([1, 2, 3])
        #expect(try buffer.withUnsafeMutableBytes { raw throws(IOError) in try server.readIfAvailable(into: raw) } == 3)
        #expect(buffer[..<3] == [1, 2, 3])
    }

    @Test func aHalfCloseEndsOneDirectionOnly() throws {
        let (client, server) = Self.pair()
        try client.writeAll([7, 8])
        client.shutdown(.writing)
        // Buffered bytes are still read, then the end of the stream; the other direction still works.
        #expect(try Self.readToEnd(server) == [7, 8])
        #expect(!server.isClosedBothWays())
        try server.writeAll([9])
        server.shutdown(.writing)
        #expect(try Self.readToEnd(client) == [9])
    }

    @Test func afterACloseThePeerSeesBothDirectionsEndedAndWritesFailWithEPIPE() throws {
        let (client, server) = Self.pair()
        client.close()
        #expect(server.isClosedBothWays())
        #expect(throws: IOError(call: "send", errno: EPIPE)) { try server.writeAll([1]) }
        #expect(try Self.readToEnd(server) == [])
    }

    @Test func shuttingDownReadingWakesABlockedReader() async throws {
        let (_, server) = Self.pair()
        let reader = Task { await ThreadLauncher.run { Result { try Self.readToEnd(server) } } }
        // Whether the reader is already blocked or not yet reading, it sees the end of the stream.
        server.shutdown(.reading)
        #expect(try await reader.value.get() == [])
    }

    @Test func aBlockedWriterFailsWhenThePeerCloses() async throws {
        let (client, server) = Self.pair(capacity: 16)
        let writer = Task { await ThreadLauncher.run { Result { () throws(IOError) in try client.writeAll([UInt8](repeating: 1, count: 64)) } } }
        server.close()
        await #expect(throws: IOError(call: "send", errno: EPIPE)) { try await writer.value.get() }
    }

    /// A server and a channel over in-process pairs: calls work as over a socket, and the handler
    /// sees the credentials the pair was given.
    @Test func anRPCServerServesAConnectionHandedToIt() async throws {
        let logs = LogCapture()
        let server = RPCServer(configuration: ServerConfiguration(socketPath: "/nonexistent/in-process"),
                               services: [TestService(probe: Probe())], logger: logs.logger)
        let channel = ClientChannel(name: "in-process") { () throws(IOError) -> any ByteStream in
            let (client, served) = Self.pair()
            server.serve(connection: served)
            return client
        }
        defer { channel.close() }
        let peer = try await channel.unary(TestService.whoAmI, EchoRequest(text: ""), as: PeerResponse.self)
        #expect(peer == PeerResponse(uid: Self.alice.uid, gid: Self.alice.gid, pid: Self.alice.pid))
        var values: [Int64] = []
        for try await number in channel.serverStreaming(TestService.count, Number(value: 1000), as: Number.self) {
            values.append(number.value)
        }
        #expect(values == Array(0..<1000))
    }
}
