import BinaryCoding
import Glibc
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
@testable import ServiceLog
import Testing

/// What a hostile client's input can make the server build and send, and hold, before and after
/// the handshake (docs/HARDENING.md): every answer stays bounded and the server keeps serving.
@Suite struct HostileInputLimitTests {
    /// The server answers a well-behaved client after the attack.
    static func expectStillServing(_ channel: ClientChannel) async throws {
        let echoed = try await channel.unary(TestService.echo, EchoRequest(text: "still serving"), as: EchoResponse.self)
        #expect(echoed.text == "still serving")
    }

    /// A request naming an unknown service of 1 MiB: the reflection service echoes the name in its
    /// message and its detail. The STATUS the server sends stays within the message and details
    /// limits (PROTOCOL.md section 5.3), whatever the handler built.
    @Test func anErrorEchoingAHugeInputSendsBoundedDetails() async throws {
        try await withTestServer { server, channel in
            let huge = "é" + String(repeating: "x", count: 1024 * 1024)
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            try raw.startUnary(streamID: 1, method: RPCReflection.DescribeServices.descriptor,
                               request: DescribeServicesRequest(services: [huge]))
            var statusFrameLength: Int?
            while let (header, payload) = try await raw.readFrame() {
                if header.type == .status {
                    statusFrameLength = payload.count
                    let error = try CallStatus.parse(payload[...]).0.error
                    #expect(error.code == .notFound)
                    #expect(error.message.utf8.count <= CallStatus.maxSentMessageLength)
                    let detailBytes = error.details.reduce(0) {
                        $0 + $1.field.utf8.count + $1.reason.utf8.count + CallStatus.detailOverhead
                    }
                    #expect(detailBytes <= CallStatus.maxSentDetailsLength)
                    #expect(error.details.first?.field == "services")
                    #expect(error.details.first?.reason.hasPrefix("unknown service éxxx") == true)
                    break
                }
            }
            let length = try #require(statusFrameLength)
            #expect(length <= Handshake.minimumMaxFrameSize)
            try await Self.expectStillServing(channel)
        }
    }

    /// A HELLO header announcing 4 MiB, its payload never sent: the server reserved the 4 MiB for
    /// the frame and waited for it until the handshake timeout; now it refuses at once.
    @Test func aHugeHelloIsRefusedBeforeItsPayloadIsBuffered() async throws {
        try await withTestServer(configure: { $0.handshakeTimeout = .seconds(600) }) { server, channel in
            let raw = try RawConnection(path: server.socketPath, handshake: nil)
            defer { raw.close() }
            var header: [UInt8] = []
            FrameHeader(payloadLength: 4 * 1024 * 1024, type: .hello, flags: [], streamID: 0).write(into: &header)
            try raw.write(Handshake.magic + header)
            let (frame, payload) = try #require(try await raw.readFrame())
            #expect(frame.type == .goAway)
            let goAway = try GoAway(payload: payload[...])
            #expect(goAway.code == .internalError)
            #expect(goAway.message == "protocol violation: a HELLO of 4194304 bytes exceeds the limit of 1024 bytes")
            #expect(try await raw.readFrame() == nil)
            try await Self.expectStillServing(channel)
        }
    }

    /// A 10-byte header announcing a 4 MiB frame reserved 4 MiB at once (zero-filled, so resident):
    /// a peer sending only headers on every connection it may open held gigabytes. The buffer now
    /// grows with the bytes that arrive, and the frame still comes out whole.
    @Test func aFrameHeaderAloneDoesNotMakeTheReaderReserveItsPayload() throws {
        let length = 4 * 1024 * 1024
        var reader = FrameReader(maxFrameSize: length)
        let frame = FrameBuilder.frame(.message, flags: .hasMessage, streamID: 1) {
            $0.append(contentsOf: (0..<length).map { UInt8(truncatingIfNeeded: $0) })
        }
        reader.append(frame.prefix(FrameHeader.size))
        _ = reader.fill { _ in 0 }
        #expect(try reader.next() == nil)
        #expect(reader.bufferCapacity <= 2 * FrameReader.initialSize)
        var sent = FrameHeader.size
        while sent < frame.count {
            let piece = frame[sent..<min(sent + 65536, frame.count)]
            reader.append(piece)
            sent += piece.count
            #expect(reader.bufferCapacity <= 2 * sent + FrameReader.initialSize)
        }
        guard case .frame(let header, let range) = try reader.next() else {
            Issue.record("the frame did not come out whole")
            return
        }
        #expect(header.payloadLength == UInt32(length))
        #expect(Array(reader.payload(in: range)) == Array(frame.dropFirst(FrameHeader.size)))
    }

    @Test func detailsAreCutAtACharacterBoundaryAndExtraDetailsDropped() {
        // 3-byte characters, so a cut at a byte count would split one.
        let wide = String(repeating: "€", count: 5000)
        let many = (0..<2000).map { ErrorDetail(field: "f\($0)", reason: "") }
        let cut = CallStatus.sendable([ErrorDetail(field: "name", reason: wide)] + many)
        let texts = cut.reduce(0) { $0 + $1.field.utf8.count + $1.reason.utf8.count + CallStatus.detailOverhead }
        #expect(texts <= CallStatus.maxSentDetailsLength)
        #expect(cut.first?.field == "name")
        #expect(cut.first?.reason.allSatisfy { $0 == "€" } == true)
        #expect(cut.count == 1)
        let few = [ErrorDetail(field: "a", reason: "b")]
        #expect(CallStatus.sendable(few) == few)
    }

    /// One OS user opening connection after connection: past its own limit it is refused with a
    /// GOAWAY RESOURCE_EXHAUSTED before any handshake, and a slot it frees serves it again.
    @Test func oneUserCannotOpenMoreThanItsShareOfConnections() async throws {
        try await withTestServer(configure: { $0.maxConnectionsPerUser = 2 }) { server, _ in
            var open: [RawConnection] = []
            defer { for raw in open { raw.close() } }
            for _ in 0..<2 {
                let raw = try RawConnection(path: server.socketPath)
                open.append(raw)
                let (hello, _) = try #require(try await raw.readFrame())
                #expect(hello.type == .hello)
            }
            let refused = try RawConnection(path: server.socketPath, handshake: nil)
            defer { refused.close() }
            let (frame, payload) = try #require(try await refused.readFrame())
            #expect(frame.type == .goAway)
            let goAway = try GoAway(payload: payload[...])
            #expect(goAway.code == .resourceExhausted)
            #expect(goAway.message == "too many connections from uid \(getuid()) (limit 2 per user)")
            #expect(try await refused.readFrame() == nil)
            #expect(server.logs.all.contains { $0.contains("refusing a connection: too many connections from uid") })

            open.removeLast().close()
            let deadline = ContinuousClock.now + hangGuard
            while server.server.runtime.openConnectionCount > 1 {
                guard ContinuousClock.now < deadline else { Issue.record("the closed connection was never released"); return }
                try await Task.sleep(for: .milliseconds(5))
            }
            let again = try RawConnection(path: server.socketPath)
            open.append(again)
            let (hello, _) = try #require(try await again.readFrame())
            #expect(hello.type == .hello)
        }
    }

    /// Two OS users opening every connection their own limit allows (any two local users can, when
    /// the socket lets them in, CustomerCard users or not, and PINGs keep them open) cannot take the
    /// last `connectionReserve`: a user holding `connectionReserveUserLimit` is refused one of them
    /// with the reason named, and two more users are still served (before: the second user took its
    /// 4, and the third was refused, the server full).
    @Test func twoUsersCannotTakeTheConnectionsKeptForOthers() async throws {
        try await withTestServer(configure: {
            $0.maxConnections = 8
            $0.maxConnectionsPerUser = 4
            $0.connectionReserve = 2
            $0.connectionReserveUserLimit = 1
        }) { server, _ in
            var open: [ClientChannel] = []
            defer { for channel in open { channel.close() } }
            func connect(uid: UInt32) async -> RPCError? {
                let channel = server.channel(as: PeerCredentials(uid: uid, gid: 500, pid: 200))
                open.append(channel)
                return await rpcError { _ = try await channel.unary(TestService.echo, EchoRequest(text: "held"), as: EchoResponse.self) }
            }
            for _ in 0..<4 { #expect(await connect(uid: 5101) == nil) }
            for _ in 0..<2 { #expect(await connect(uid: 5102) == nil) }
            for _ in 0..<2 {
                let kept = await connect(uid: 5102)
                #expect(kept?.code == .resourceExhausted)
                #expect(kept?.message.hasSuffix("refused the connection: too many connections (limit 8): the last 2 are kept "
                                                + "for users holding fewer than 1, and uid 5102 holds 2") == true)
            }
            #expect(await connect(uid: 5103) == nil)
            #expect(await connect(uid: 5104) == nil)
            #expect(server.server.runtime.openConnectionCount == 8)
            #expect(await connect(uid: 5105)?.message.hasSuffix("too many connections (limit 8)") == true)
        }
    }

    /// A flood of one event logs one line per interval, and the next line counts what it left out.
    @Test func aFloodOfOneLogLineIsRateLimited() {
        let limiter = LogRateLimiter(interval: .seconds(1))
        let start = ContinuousClock.now
        #expect(limiter.admit(at: start) == 0)
        for step in 1...99 {
            #expect(limiter.admit(at: start + .milliseconds(step)) == nil)
        }
        #expect(limiter.admit(at: start + .seconds(1)) == 99)
        #expect(limiter.admit(at: start + .milliseconds(1500)) == nil)
        #expect(limiter.admit(at: start + .seconds(3)) == 1)
    }

    /// Refusals (redteam27): each OS user gets its own lines an interval, one user's flood holds back
    /// none of another's, the user's next line counts what was left out, and the windows kept shrink
    /// back to the users who logged lately.
    @Test func eachUsersLinesAreLimitedOnTheirOwn() {
        let limiter = PerUserLogRateLimiter(interval: .seconds(60), lines: 3)
        let start = ContinuousClock.now
        for step in 0..<3 {
            #expect(limiter.admit(uid: 1000, at: start + .milliseconds(step)) == 0)
        }
        for step in 3..<500 {
            #expect(limiter.admit(uid: 1000, at: start + .milliseconds(step)) == nil)
        }
        #expect(limiter.admit(uid: 1001, at: start + .seconds(1)) == 0)
        #expect(limiter.admit(uid: 1000, at: start + .seconds(59)) == nil)
        #expect(limiter.admit(uid: 1000, at: start + .seconds(60)) == 498)
        #expect(limiter.admit(uid: 1000, at: start + .seconds(61)) == 0)

        for uid in UInt32(2_000)..<UInt32(2_000 + PerUserLogRateLimiter.pruneAbove) {
            _ = limiter.admit(uid: uid, at: start + .seconds(62))
        }
        #expect(limiter.trackedUsers == PerUserLogRateLimiter.pruneAbove + 1)  // 1001, idle a minute, went
        #expect(limiter.admit(uid: 9_999, at: start + .seconds(200)) == 0)
        #expect(limiter.trackedUsers == 1)
    }
}
