import BinaryCoding
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

@Suite struct ConnectionRobustnessTests {
    @Test func aVersionMismatchIsAnsweredWithGoAwayThenClose() async throws {
        try await withTestServer { server, _ in
            let raw = try RawConnection(path: server.socketPath, handshake: [7, 9])
            defer { raw.close() }
            let frame = try #require(try await raw.readFrame())
            #expect(frame.0.type == .goAway)
            let goAway = try GoAway(payload: frame.1[...])
            #expect(goAway.code == .unimplemented)
            #expect(goAway.message.contains("7, 9"))
            #expect(try await raw.readFrame() == nil)
        }
    }

    @Test func aWrongMagicIsRefused() async throws {
        try await withTestServer { server, _ in
            let raw = try RawConnection(path: server.socketPath, handshake: nil)
            defer { raw.close() }
            try raw.write(Array("GET / HTTP/1.1\r\n\r\n".utf8))
            let frame = try #require(try await raw.readFrame())
            #expect(frame.0.type == .goAway)
            #expect(try await raw.readFrame() == nil)
        }
    }

    @Test func theHandshakeAnnouncesLimitsAndServerName() async throws {
        try await withTestServer(configure: { $0.maxConcurrentCallsPerConnection = 7 }) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            let frame = try #require(try await raw.readFrame())
            let hello = try ServerHello(payload: frame.1[...])
            #expect(hello == ServerHello(version: 1, maxFrameSize: 4 << 20, maxConcurrentCalls: 7, initialWindow: 256 << 10,
                                         serverName: "test-server", serverVersion: "1.2.3"))
        }
    }

    @Test func aGarbageWritingClientDoesNotDisturbAWellBehavedOne() async throws {
        try await withTestServer { server, channel in
            let first = try await channel.unary(TestService.echo, EchoRequest(text: "before"), as: EchoResponse.self)
            #expect(first.text == "before")
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            _ = try await raw.readFrame()   // HELLO
            var generator = SystemRandomNumberGenerator()
            try raw.write((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let echo = try await channel.unary(TestService.echo, EchoRequest(text: "after"), as: EchoResponse.self)
            #expect(echo.text == "after")
        }
    }

    @Test func aProtocolViolationEndsThatConnectionWithGoAway() async throws {
        try await withTestServer { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            _ = try await raw.readFrame()   // HELLO
            try raw.write([0, 0, 0, 0, 0xEE, 0, 0, 0, 0, 0])
            let frame = try #require(try await raw.readFrame())
            #expect(frame.0.type == .goAway)
            #expect(try GoAway(payload: frame.1[...]).code == .internalError)
            #expect(try await raw.readFrame() == nil)
        }
    }

    @Test func anOversizedCallStartGetsResourceExhaustedAndTheConnectionGoesOn() async throws {
        try await withTestServer(configure: { $0.maxFrameSize = 1024 }) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            _ = try await raw.readFrame()   // HELLO
            try raw.startUnary(streamID: 1, method: TestService.echo, request: EchoRequest(text: String(repeating: "x", count: 5000)))
            let rejected = try await raw.readStatus()
            #expect(rejected.streamID == 1)
            #expect(rejected.error.code == .resourceExhausted)
            try raw.startUnary(streamID: 3, method: TestService.echo, request: EchoRequest(text: "small"))
            let accepted = try await raw.readStatus()
            #expect(accepted.streamID == 3)
            #expect(accepted.error.code == .ok)
        }
    }

    @Test func invalidMetadataIsRejectedBeforeSending() async throws {
        try await withTestServer { _, channel in
            let error = await rpcError {
                _ = try await channel.unary(TestService.echo, EchoRequest(text: ""), as: EchoResponse.self,
                                            options: CallOptions(metadata: Metadata([("bad key!", "v")])))
            }
            #expect(error?.code == .invalidArgument)
        }
    }
}
