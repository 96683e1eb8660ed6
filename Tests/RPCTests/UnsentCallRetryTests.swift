@testable import RPCClient
@testable import RPCCore
@testable import RPCTransport
import TestSupport
import Testing

/// A call that provably never reached the server is started again on a new connection, up to
/// `ClientChannel.unsentCallAttempts` connections in all (docs/CLIENT.md).
@Suite struct UnsentCallRetryTests {
    /// The client end of a connection whose server completed the handshake having already stopped
    /// reading (as one whose idle timeout ran out just then): the client's CALL_START fails with
    /// EPIPE before any of it was taken, so the server cannot have run the call.
    static func connectionClosedOnArrival() -> any ByteStream {
        let (client, server) = InProcessStream.pair(clientCredentials: PeerCredentials(uid: 1, gid: 1, pid: 1),
                                                    serverCredentials: PeerCredentials(uid: 0, gid: 0, pid: 1))
        server.shutdown(.reading)
        try? server.writeAll(ServerHello(version: 1, maxFrameSize: 1 << 20, maxConcurrentCalls: 100, initialWindow: 1 << 16,
                                         serverName: "closing", serverVersion: "0").frame())
        return client
    }

    /// A channel whose first `lost` connections are closed on arrival and whose later ones reach
    /// `path` (nil: are closed on arrival too); each connection opened is recorded in `opened`.
    static func channel(losing lost: Int, thenConnectingTo path: String?, opened: Probe) -> ClientChannel {
        ClientChannel(name: "losing \(lost)") { () throws(IOError) -> any ByteStream in
            opened.record("opened")
            guard connections(opened) > lost, let path else { return connectionClosedOnArrival() }
            return try UnixSocket.connect(to: path)
        }
    }

    static func connections(_ opened: Probe) -> Int { opened.recorded.count }

    @Test func anAsyncCallNeverSentIsAnsweredOnTheFourthConnection() async throws {
        try await withTestServer { server, _ in
            let opened = Probe()
            let channel = Self.channel(losing: 3, thenConnectingTo: server.socketPath, opened: opened)
            defer { channel.close() }
            let echo = try await channel.unary(TestService.echo, EchoRequest(text: "fourth"), as: EchoResponse.self)
            #expect(echo.text == "fourth")
            #expect(Self.connections(opened) == 4)
        }
    }

    @Test func aBlockingCallNeverSentIsAnsweredOnTheFourthConnection() async throws {
        try await withTestServer { server, _ in
            let opened = Probe()
            let channel = Self.channel(losing: 3, thenConnectingTo: server.socketPath, opened: opened)
            defer { channel.close() }
            let echo = await onThread {
                Result { () throws(RPCError) -> EchoResponse in
                    try channel.unaryBlocking(TestService.echo, EchoRequest(text: "fourth"), as: EchoResponse.self)
                }
            }
            let text = try echo.get().text
            #expect(text == "fourth")
            #expect(Self.connections(opened) == 4)
        }
    }

    /// A server that drops every connection is not retried for ever.
    @Test func aCallIsTriedOnFourConnectionsAtMost() async throws {
        let opened = Probe()
        let channel = Self.channel(losing: .max, thenConnectingTo: nil, opened: opened)
        defer { channel.close() }
        let error = await rpcError { _ = try await channel.unary(TestService.echo, EchoRequest(text: ""), as: EchoResponse.self) }
        #expect(error?.code == .unavailable)
        #expect(Self.connections(opened) == ClientChannel.unsentCallAttempts)
    }
}
