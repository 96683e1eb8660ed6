@testable import RPCClient
@testable import RPCCore
@testable import RPCTransport
import TestSupport
import Testing

/// A call that provably never reached the server, or that the server's GOAWAY says it never started,
/// is started again on a new connection, up to `ClientChannel.unsentCallAttempts` connections in all
/// (docs/CLIENT.md, PROTOCOL.md section 5.4).
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

    // MARK: A GOAWAY naming the last call the server started

    /// What the GOAWAY of ``connectionGoingAway(_:)`` says about the call it raced.
    enum Verdict: Sendable, CustomTestStringConvertible {
        /// Its last started stream id is below the call's: the call was never started.
        case notStarted
        /// Its last started stream id is the call's own: the call may have run.
        case started
        /// It ends after the message, as a server's built before the field existed: nothing said.
        case unsaid
        var testDescription: String { "\(self)" }
    }

    /// The client end of a connection whose server shakes hands, reads the first CALL_START, then
    /// says GOAWAY OK "idle timeout" (as an idle close racing the call) and closes both ways.
    static func connectionGoingAway(_ verdict: Verdict) -> any ByteStream {
        let (client, server) = InProcessStream.pair(clientCredentials: PeerCredentials(uid: 1, gid: 1, pid: 1),
                                                    serverCredentials: PeerCredentials(uid: 0, gid: 0, pid: 1))
        do {
            try ThreadLauncher.start { goAwayAfterFirstCall(server, verdict) }
        } catch {
            server.shutdown(.both)
        }
        return client
    }

    private static func goAwayAfterFirstCall(_ stream: InProcessStream, _ verdict: Verdict) {
        defer { stream.shutdown(.both) }
        var reader = FrameReader(maxFrameSize: 1 << 20)
        var sawMagic = false
        do {
            try stream.writeAll(ServerHello(version: 1, maxFrameSize: 1 << 20, maxConcurrentCalls: 100, initialWindow: 1 << 16,
                                            serverName: "going away", serverVersion: "0").frame())
            while true {
                if !sawMagic { sawMagic = reader.take(Handshake.magic.count) != nil }
                while sawMagic, let event = try reader.next() {
                    guard case .frame(let header, _) = event, header.type == .callStart else { continue }
                    let frame = switch verdict {
                    case .notStarted: GoAway(code: .ok, message: "idle timeout", lastStartedStreamID: header.streamID - 1).frame()
                    case .started: GoAway(code: .ok, message: "idle timeout", lastStartedStreamID: header.streamID).frame()
                    case .unsaid: FrameBuilder.frame(.goAway, streamID: 0) { buffer in
                        buffer.append(StatusCode.ok.rawValue)
                        buffer.appendLengthPrefixed(Array("idle timeout".utf8))
                    }
                    }
                    try stream.writeAll(frame)
                    return
                }
                guard try reader.fill(using: { buffer in try stream.read(into: buffer) }) > 0 else { return }
            }
        } catch {
            return
        }
    }

    /// A channel whose first connection goes away as `verdict` says and whose later ones reach `path`.
    static func channel(goingAway verdict: Verdict, thenConnectingTo path: String, opened: Probe) -> ClientChannel {
        ClientChannel(name: "going away") { () throws(IOError) -> any ByteStream in
            opened.record("opened")
            guard connections(opened) > 1 else { return connectionGoingAway(verdict) }
            return try UnixSocket.connect(to: path)
        }
    }

    @Test func anAsyncCallTheServerDidNotStartIsAnsweredOnTheNextConnection() async throws {
        try await withTestServer { server, _ in
            let opened = Probe()
            let channel = Self.channel(goingAway: .notStarted, thenConnectingTo: server.socketPath, opened: opened)
            defer { channel.close() }
            let echo = try await channel.unary(TestService.echo, EchoRequest(text: "again"), as: EchoResponse.self)
            #expect(echo.text == "again")
            #expect(Self.connections(opened) == 2)
        }
    }

    @Test func aBlockingCallTheServerDidNotStartIsAnsweredOnTheNextConnection() async throws {
        try await withTestServer { server, _ in
            let opened = Probe()
            let channel = Self.channel(goingAway: .notStarted, thenConnectingTo: server.socketPath, opened: opened)
            defer { channel.close() }
            let echo = await onThread {
                Result { () throws(RPCError) -> EchoResponse in
                    try channel.unaryBlocking(TestService.echo, EchoRequest(text: "again"), as: EchoResponse.self)
                }
            }
            let text = try echo.get().text
            #expect(text == "again")
            #expect(Self.connections(opened) == 2)
        }
    }

    @Test func aServerStreamTheServerDidNotStartIsStreamedFromTheNextConnection() async throws {
        try await withTestServer { server, _ in
            let opened = Probe()
            let channel = Self.channel(goingAway: .notStarted, thenConnectingTo: server.socketPath, opened: opened)
            defer { channel.close() }
            var values: [Int64] = []
            for try await number in channel.serverStreaming(TestService.count, Number(value: 3), as: Number.self) {
                values.append(number.value)
            }
            #expect(values == [0, 1, 2])
            #expect(Self.connections(opened) == 2)
        }
    }

    /// A call the server may have run is never sent again by the library, whatever the GOAWAY's
    /// code: it fails UNAVAILABLE (an idempotency key makes a write safe for the caller to retry).
    @Test(arguments: [Verdict.started, .unsaid])
    func aCallTheServerMayHaveStartedFailsAndIsNotSentAgain(_ verdict: Verdict) async throws {
        try await withTestServer { server, _ in
            let opened = Probe()
            let channel = Self.channel(goingAway: verdict, thenConnectingTo: server.socketPath, opened: opened)
            defer { channel.close() }
            let error = await rpcError { _ = try await channel.unary(TestService.echo, EchoRequest(text: "once"), as: EchoResponse.self) }
            #expect(error?.code == .unavailable)
            #expect(error?.callWasNotStarted == false)
            #expect(Self.connections(opened) == 1)
            // The channel moved on: the next call goes to a new connection.
            let next = try await channel.unary(TestService.echo, EchoRequest(text: "next"), as: EchoResponse.self)
            #expect(next.text == "next")
        }
    }

    /// A client stream's messages were consumed by its producer: the library cannot send them again,
    /// so the caller learns the server never started it and may.
    @Test func aClientStreamTheServerDidNotStartFailsSayingSo() async throws {
        try await withTestServer { server, _ in
            let opened = Probe()
            let channel = Self.channel(goingAway: .notStarted, thenConnectingTo: server.socketPath, opened: opened)
            defer { channel.close() }
            let error = await rpcError {
                _ = try await channel.clientStreaming(TestService.sum, as: Number.self) { (_: ClientStreamSender<Number>) in }
            }
            #expect(error?.code == .unavailable)
            #expect(error?.callWasNotStarted == true)
            #expect(error?.message.contains("did not start the call: idle timeout") == true)
            #expect(Self.connections(opened) == 1)
        }
    }
}
