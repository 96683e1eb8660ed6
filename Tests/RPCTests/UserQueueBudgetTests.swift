import TestSupport
import BinaryCoding
import Glibc
import Testing
import ThreadSync
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport

/// The budget of answer bytes queued for one OS user on all its connections (`maxQueuedBytesPerUser`),
/// past each connection's first ``ServerConnection/uncountedQueuedBytes``: streams to clients that
/// do not read pause once it is used up, another user and the user's connections that read are
/// served meanwhile, and every way the queued bytes leave (sent, connection closed, call cancelled,
/// server shut down) gives them back.
@Suite struct UserQueueBudgetTests {
    static let otherUser = PeerCredentials(uid: 5003, gid: 500, pid: 103)
    static let floodFrame = HostileClientTests.floodFrame
    static let budget = 256 * 1024

    /// The budget this process's uid (the uid of every real-socket connection of a test server) draws on.
    static func budget(of server: TestServer) throws -> SharedBudget {
        try #require(server.server.runtime.queueBudget(ofUser: getuid()))
    }

    /// Bytes queued and not yet sent on all the server's connections (the test's are all one user's).
    static func queuedBytes(_ server: TestServer) -> Int {
        server.server.runtime.connections.reduce(0) { $0 + $1.writer.queuedBytes }
    }

    /// `connection` starts `streams` floods of `messages` messages each (16 KiB a message) and reads none.
    /// In one write: sent one by one, a starved test could let the first flood fill the
    /// connection's queue before the server read the next CALL_START, which the hold-back then
    /// leaves unread (one flood running, never the three waiting that the tests wait for).
    static func startFloods(on connection: RawConnection, streams: Int, messages: Int64) throws {
        try connection.write((0..<streams).flatMap { index in
            try RawConnection.unaryCallStart(streamID: UInt32(2 * index + 1), method: TestService.flood,
                                             request: Number(value: messages))
        })
    }

    /// Settled once every flood on every unread connection waits for room but the one whose handler
    /// is stuck sending into the full socket.
    static func waitUntilSettled(_ server: TestServer, waiting: Int) async throws {
        let statistics = server.server.runtime.statistics.writeQueue
        try await waitUntil("\(waiting) writers wait for room") { statistics.writersWaiting >= waiting }
    }

    /// One connection that starts four floods of `messages` and reads nothing, once three of them
    /// wait for room (the fourth is stuck sending into the full socket), with the budget they draw on.
    static func pausedFloods(_ server: TestServer, messages: Int64) async throws -> (RawConnection, SharedBudget) {
        let raw = try RawConnection(path: server.socketPath, initialWindow: .max)
        do {
            try startFloods(on: raw, streams: 4, messages: messages)
            try await waitUntilSettled(server, waiting: 3)
            return (raw, try budget(of: server))
        } catch {
            raw.close()
            throw error
        }
    }

    /// A stream of 64 flood messages read to its end, as a client that reads does it.
    static func readFlood(_ channel: ClientChannel) async throws -> Int {
        var count = 0
        for try await _ in channel.serverStreaming(TestService.flood, Number(value: 64), as: EchoRequest.self) { count += 1 }
        return count
    }

    /// Four connections of one user, four 8 MiB streams each, none read: without the user's budget
    /// each connection queues its own 1 MiB (4 MiB in all); with it, what they queue stays within
    /// the budget plus each connection's uncounted share and a frame. Meanwhile another user and a
    /// connection of the same user that reads get whole streams; once the connections close, the
    /// budget is back to zero.
    @Test func unreadStreamsOfAUsersConnectionsStayWithinItsBudget() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: { $0.maxQueuedBytesPerUser = Self.budget }) { server, channel in
            let unread = try (0..<4).map { _ in try RawConnection(path: server.socketPath, initialWindow: .max) }
            // Closed once only: a descriptor closed twice may by then be another test's (a database file).
            var closed = false
            defer { if !closed { unread.forEach { $0.close() } } }
            for connection in unread { try Self.startFloods(on: connection, streams: 4, messages: 512) }
            try await Self.waitUntilSettled(server, waiting: 4 * 3)
            let budget = try Self.budget(of: server)

            #expect(!probe.recorded.contains("flood done"))
            #expect(budget.inUse <= Self.budget + 4 * Self.floodFrame)
            #expect(Self.queuedBytes(server) <= Self.budget + 4 * (ServerConnection.uncountedQueuedBytes + Self.floodFrame),
                    "queued \(Self.queuedBytes(server)) bytes")

            let other = server.channel(as: Self.otherUser)
            defer { other.close() }
            #expect(try await Self.readFlood(other) == 64)
            #expect(try await Self.readFlood(channel) == 64, "a connection of the same user that reads")

            unread.forEach { $0.close() }
            closed = true
            try await waitUntil("the closed connections' queued bytes were given back") { budget.inUse == 0 }
            #expect(try await Self.readFlood(channel) == 64)
        }
    }

    /// A client that stops reading and later reads everything: each stream paused at the budget
    /// goes on, all four end OK, and the budget is back to zero.
    @Test func bytesSentToAClientThatReadsAgainAreGivenBack() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: { $0.maxQueuedBytesPerUser = 64 * 1024 }) { server, _ in
            let (raw, budget) = try await Self.pausedFloods(server, messages: 64)
            defer { raw.close() }
            #expect(budget.inUse > 0)
            #expect(budget.inUse <= 64 * 1024 + Self.floodFrame)

            var ended: [UInt32: StatusCode] = [:]
            var messages = 0
            while ended.count < 4, let (header, payload) = try await raw.readFrame() {
                if header.type == .message { messages += 1 }
                if header.type == .status { ended[header.streamID] = try CallStatus.parse(payload[...]).0.error.code }
            }
            #expect(messages == 4 * 64)
            #expect(ended == [1: .ok, 3: .ok, 5: .ok, 7: .ok])
            try await waitUntil("the sent bytes were given back") { budget.inUse == 0 }
        }
    }

    /// Streams paused at the budget and then cancelled (CANCEL frames, the client still not reading)
    /// queue nothing more; what they had queued is given back once it is sent (a PING's PONG comes
    /// after it).
    @Test func cancelledStreamsQueueNothingMoreAndTheirBytesAreGivenBackOnceSent() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: { $0.maxQueuedBytesPerUser = 64 * 1024 }) { server, _ in
            let (raw, budget) = try await Self.pausedFloods(server, messages: 4096)
            defer { raw.close() }
            let held = budget.inUse

            try raw.write([1, 3, 5, 7].flatMap { FrameBuilder.frame(.cancel, streamID: $0) })
            let statistics = server.server.runtime.statistics.writeQueue
            try await waitUntil("the paused streams saw their cancellation") { statistics.writersWaiting == 0 }
            #expect(budget.inUse <= held)
            try raw.write(FrameBuilder.frame(.ping, streamID: 0) { $0.append(contentsOf: [UInt8](repeating: 2, count: 8)) })
            var ponged = false
            while !ponged, let (header, _) = try await raw.readFrame() {
                #expect(header.type != .status, "a cancelled call is not answered")
                ponged = header.type == .pong
            }
            #expect(ponged)
            try await waitUntil("the cancelled streams' sent bytes were given back") { budget.inUse == 0 }
            #expect(!probe.recorded.contains("flood done"))
        }
    }

    /// A server shut down while a client that does not read holds streams paused at the budget:
    /// the shutdown cuts the connection and the budget is back to zero.
    @Test func aShutdownGivesBackWhatUnreadConnectionsHeld() async throws {
        try await withTestServer(configure: {
            $0.maxQueuedBytesPerUser = 64 * 1024
            $0.shutdownGracePeriod = .milliseconds(100)
        }) { server, _ in
            let (raw, budget) = try await Self.pausedFloods(server, messages: 4096)
            defer { raw.close() }
            #expect(budget.inUse > 0)
            try await withDeadline("the shutdown of a server whose client does not read") {
                await server.server.shutdown()
            }
            try await waitUntil("the cut connection's queued bytes were given back") { budget.inUse == 0 }
        }
    }
}
