import BinaryCoding
import Glibc
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import TestSupport
import Testing

/// A client that sends calls and never reads their answers: the server stops starting its calls
/// once a bounded write would wait, the calls already running answer without waiting for it (their
/// threads are free), and everything goes on once the client reads (docs/HARDENING.md, "Threads
/// per user"). Before, each answer waited on its handler's thread and the reader went on starting
/// calls: 100 threads held per connection, whatever the user's budgets.
@Suite struct UnreadAnswersTests {
    static let calls = 100
    static let answerSize: Int64 = 32 * 1024

    /// `calls` Fill calls of `answerSize` on streams 1, 3, 5, … in one write (small: the socket takes it whole).
    static func sendFills(on raw: RawConnection, from first: Int = 0) throws {
        var batch: [UInt8] = []
        for index in first..<calls {
            batch += PipelinedCallTests.callStart(UInt32(2 * index + 1), TestService.fill,
                                                  request: try PipelinedCallTests.encode(Number(value: answerSize)))
        }
        try raw.write(batch)
    }

    /// Once the reader is held back and the calls it started have answered: no handler waits for
    /// room, fewer than all the calls were started, and another connection is served.
    static func waitUntilHeldBack(_ server: TestServer) async throws {
        let statistics = server.server.runtime.statistics
        try await waitUntil("the reader is held back") { statistics.writeQueue.readersHeldBack >= 1 }
        try await waitUntil("the calls started have answered") { statistics.callsInFlight == 0 }
    }

    @Test func aClientThatNeverReadsItsAnswersHoldsNoThreadPerCall() async throws {
        try await withTestServer(configure: { $0.maxQueuedBytesPerConnection = 64 * 1024 }) { server, channel in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            try Self.sendFills(on: raw)
            try await Self.waitUntilHeldBack(server)
            let statistics = server.server.runtime.statistics
            #expect(statistics.writeQueue.writersWaiting == 0, "handlers wait for the client to read their answers")
            let started = server.callsEnded(.ok)
            #expect(started < UInt64(Self.calls), "the server started all \(started) calls though none of their answers was read")
            let other = try await channel.unary(TestService.echo, EchoRequest(text: "still serving"), as: EchoResponse.self)
            #expect(other.text == "still serving")

            // The client reads: every call is answered whole, the held-back ones too.
            var answers = PipelinedCallTests.Answers()
            let streamIDs = Set((0..<Self.calls).map { UInt32(2 * $0 + 1) })
            try await PipelinedCallTests.readAnswers(raw, for: streamIDs, into: &answers)
            for id in streamIDs {
                let (status, message) = try #require(answers.statuses[id])
                #expect(status.code == .ok, "call \(id): \(status.code) \(status.message)")
                let answer = try BinaryDecoder().decode(EchoResponse.self, from: message)
                #expect(answer.text.utf8.count == Int(Self.answerSize), "call \(id) answered \(answer.text.utf8.count) bytes")
            }
            #expect(statistics.writeQueue.readersHeldBack == 0)
        }
    }

    /// A client that reads on its own thread, as `ClientChannel` does, with 64 calls in flight whose
    /// answers (48 KiB each) pass the connection's 64 KiB limit again and again, and a stream of 64
    /// flood messages beside them: the reader is held back and let go in turn, and every call is
    /// answered whole. No deadlock for the usual pipelining client.
    @Test func aPipeliningClientThatReadsIsHeldBackAndLetGoUntilAllIsAnswered() async throws {
        try await withTestServer(configure: { $0.maxQueuedBytesPerConnection = 64 * 1024 }) { server, channel in
            let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<64 {
                    group.addTask {
                        try await channel.unary(TestService.fill, Number(value: 48 * 1024), as: EchoResponse.self).text.utf8.count
                    }
                }
                group.addTask {
                    var count = 0
                    for try await _ in channel.serverStreaming(TestService.flood, Number(value: 64), as: EchoRequest.self) { count += 1 }
                    return count
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(sizes.filter { $0 == 48 * 1024 }.count == 64 && sizes.contains(64), "\(sizes)")
            #expect(server.server.runtime.statistics.writeQueue.readersHeldBack == 0)
        }
    }

    /// A client that closes while its reader is held back: the calls still in the server's read
    /// buffer and socket are not run, since no answer can reach anyone (before, every call a client
    /// had sent ran after it had gone: 9 500 threads for 100 such connections of 2 000 listings).
    ///
    /// The first call's answer (1 MiB) is more than the socket takes: once it has ended, the queue
    /// stays past its limit, so the reader held back with nothing running is held back for good.
    /// With answers the socket could still take, that state was also met on the way (the flush
    /// thread draining the queue into the socket let the reader go on), and calls the client had
    /// sent before closing ran after `started` was read (failed 1 run in ~10).
    @Test func callsOfAClientThatClosedWhileHeldBackAreNotRun() async throws {
        try await withTestServer(configure: { $0.maxQueuedBytesPerConnection = 64 * 1024 }) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            try raw.write(PipelinedCallTests.callStart(1, TestService.fill, request: try PipelinedCallTests.encode(Number(value: 1 << 20))))
            try Self.sendFills(on: raw, from: 1)
            try await Self.waitUntilHeldBack(server)
            let started = server.callsEnded(.ok)
            raw.close()
            let statistics = server.server.runtime.statistics
            try await waitUntil("the connection is gone") {
                statistics.writeQueue.readersHeldBack == 0 && server.server.runtime.connections.isEmpty
            }
            #expect(server.callsEnded(.ok) == started, "calls ran after their client had gone")
            #expect(statistics.callsInFlight == 0)
        }
    }

    /// A client that closes while the connection's reader is stuck sending the answer of a call it
    /// ran itself (not held back: nothing was queued behind that answer when it began), with calls
    /// sent after it still unread in the socket: once the `send` fails, the reader finds the
    /// writer failed, not backed up, and starts none of them (before redteam14's fix it took a
    /// failed writer for one with room and ran them all, each answer failing: up to 100 threads per
    /// connection of `hold_memory.py --unary 2000` once its clients had gone).
    ///
    /// No share of threads for unary calls: the watchdog promotes no reader while that one is stuck,
    /// so the calls are still unread when the send fails (with one, a reader promoted before the
    /// close found the writer backed up and was held back, and the state was never reached).
    @Test func callsBehindAnAnswerWhoseSendFailedAreNotRun() async throws {
        try await withTestServer(configure: { $0.maxUnaryThreadsPerUser = 0 }) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            // 1 MiB: more than the socket takes, so the reader running the call stays in `send`.
            try raw.write(PipelinedCallTests.callStart(1, TestService.fill, request: try PipelinedCallTests.encode(Number(value: 1 << 20))))
            try await waitUntil("the answer is being sent") { server.callsEnded(.ok) == 1 }
            var echoes: [UInt8] = []
            for index in 1...50 {
                echoes += PipelinedCallTests.callStart(UInt32(2 * index + 1), TestService.echo,
                                                       request: try PipelinedCallTests.encode(EchoRequest(text: "behind")))
            }
            try raw.write(echoes)
            raw.close()
            let runtime = server.server.runtime
            try await waitUntil("the connection is gone") { runtime.connections.isEmpty }
            let ended = runtime.statistics.snapshot.callsByStatus.reduce(0, +)
            #expect(ended == 1, "\(ended - 1) calls sent behind the unsent answer ran after their client had gone")
            #expect(runtime.statistics.callsInFlight == 0)
        }
    }

    /// Clients that read nothing, each server socket full though every send was complete (PONGs of
    /// PINGs sent one at a time, so no thread is stuck sending), each with a call whose 1 ms
    /// deadline passes: their STATUS frames wait for no client, and another client's deadline is
    /// answered meanwhile (before: each such STATUS was written on one of the shared queue's 4
    /// threads, which waited in `send` up to the idle timeout, so 4 clients that read nothing
    /// held back every other connection's deadline that long).
    @Test func deadlinesOfClientsThatReadNothingDelayNoOtherDeadline() async throws {
        try await withTestServer(configure: { $0.idleTimeout = .seconds(2 * testWaitLimit) }) { server, _ in
            let runtime = server.server.runtime
            var stalled: [RawConnection] = []
            defer { for raw in stalled { raw.close() } }
            for _ in 0..<5 {
                let known = Set(runtime.connections.map(ObjectIdentifier.init))
                let raw = try RawConnection(path: server.socketPath)
                stalled.append(raw)
                try await waitUntil("the connection is accepted") { runtime.connections.count > known.count }
                let connection = try #require(runtime.connections.first { !known.contains(ObjectIdentifier($0)) })
                try await Self.fillWithPongs(raw, connection)
                try raw.write(Self.callStart(1, TestService.slowEcho, timeoutMicroseconds: 1000))
            }
            let other = try RawConnection(path: server.socketPath)
            defer { other.close() }
            try other.write(Self.callStart(1, TestService.slowEcho, timeoutMicroseconds: 10_000))
            let (streamID, error) = try await other.readStatus()
            #expect(streamID == 1 && error.code == .deadlineExceeded, "\(streamID): \(error)")
        }
    }

    struct PongNotSent: Error {}

    /// A unary CALL_START carrying an `EchoRequest`, with a deadline.
    static func callStart(_ streamID: UInt32, _ method: MethodDescriptor, timeoutMicroseconds: UInt64) throws -> [UInt8] {
        let request = try PipelinedCallTests.encode(EchoRequest(text: "deadline"))
        return FrameBuilder.frame(.callStart, flags: [.hasMessage, .endStream], streamID: streamID) {
            CallStartHead(timeoutMicroseconds: timeoutMicroseconds, method: method.fullName, metadata: Metadata()).write(into: &$0)
            $0.append(contentsOf: request)
        }
    }

    /// Sends PINGs one at a time, each once the previous PONG is in the socket, until the server's
    /// side holds its send buffer's worth unread: the next write would wait, and none is in progress.
    /// Hundreds of round trips, so on a thread of its own: awaiting each on a starved cooperative
    /// pool took minutes beside the whole suite.
    static func fillWithPongs(_ raw: RawConnection, _ connection: ServerConnection) async throws {
        let socket = try #require(connection.socket as? UnixSocket)
        let fd = socket.fd
        var sendBuffer: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sendBuffer, &length) == 0)
        @Sendable func unread() -> Int32 {
            var bytes: Int32 = 0
            return ioctl(fd, UInt(TIOCOUTQ), &bytes) == 0 ? bytes : -1
        }
        let ping = FrameBuilder.frame(.ping, streamID: 0) { $0.append(contentsOf: [UInt8](repeating: 7, count: 8)) }
        let limit = sendBuffer
        let held = try await onThread { () throws -> Int32 in
            let giveUp = ContinuousClock.now + .seconds(testWaitLimit)
            var held = unread()
            while held >= 0 && held < limit {
                let before = held
                try raw.write(ping)
                while unread() == before {
                    guard ContinuousClock.now < giveUp else { throw PongNotSent() }
                    usleep(100)
                }
                held = unread()
            }
            return held
        }
        #expect(held >= limit, "the server's socket holds \(held) bytes unread")
    }

    /// A shutdown while the reader is held back: the GOAWAY, queued behind the unread answers, names
    /// the last call started; every call up to it is answered, none after it runs, and the shutdown
    /// ends once the client has read (its grace period outlasts any stall: the client reads).
    @Test func aShutdownWhileHeldBackNamesTheLastCallStarted() async throws {
        try await withTestServer(configure: {
            $0.maxQueuedBytesPerConnection = 64 * 1024
            $0.shutdownGracePeriod = .seconds(testWaitLimit)
        }) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            try Self.sendFills(on: raw)
            try await Self.waitUntilHeldBack(server)
            let stopping = Task { await server.server.shutdown() }
            var answers = PipelinedCallTests.Answers()
            var lastStarted: UInt32?
            while let (header, payload) = try await raw.readFrame() {
                switch header.type {
                case .status:
                    answers.statuses[header.streamID] = (try CallStatus.parse(payload[...]).0.error, [])
                case .goAway:
                    lastStarted = try GoAway(payload: payload[...]).lastStartedStreamID
                default:
                    break
                }
            }
            await stopping.value
            let named = try #require(lastStarted, "no GOAWAY")
            #expect(named < UInt32(2 * Self.calls - 1), "the GOAWAY named every call started")
            for id in (0..<Self.calls).map({ UInt32(2 * $0 + 1) }) {
                let status = answers.statuses[id]?.0
                if id <= named {
                    #expect(status?.code == .ok, "call \(id), started, ended \(String(describing: status))")
                } else {
                    #expect(status == nil || status?.code == .unavailable, "call \(id), not started, ended \(String(describing: status))")
                }
            }
        }
    }

    /// A client that never reads its answers, with an idle timeout of a second: the connection
    /// held back is cut once nothing it was sent was read for that long, its threads gone, and the
    /// client reads what had reached its socket, then the end of the stream (before: held back for
    /// good, about 3 threads, since the idle timeout counted it busy with the calls it had sent).
    @Test func aHeldBackConnectionWhoseClientReadsNothingIsClosedAtTheIdleTimeout() async throws {
        try await withTestServer(configure: {
            $0.maxQueuedBytesPerConnection = 64 * 1024
            $0.idleTimeout = .seconds(1)
        }) { server, _ in
            // A starved test may send its calls after the second of silence that closes a connection
            // (a plain idle close): then it sends them again on a new one.
            var sent: RawConnection?
            for _ in 0..<10 where sent == nil {
                let attempt = try RawConnection(path: server.socketPath)
                do {
                    try Self.sendFills(on: attempt)
                    sent = attempt
                } catch {
                    attempt.close()
                }
            }
            let raw = try #require(sent, "the calls could not be sent on any of 10 connections")
            defer { raw.close() }
            let runtime = server.server.runtime
            try await waitUntil("the connection that reads nothing is cut") {
                runtime.connections.isEmpty && runtime.statistics.writeQueue.readersHeldBack == 0
            }
            #expect(server.callsEnded(.ok) < UInt64(Self.calls), "every call ran though no answer was read")
            var frames = 0
            while try await raw.readFrame() != nil { frames += 1 }
            #expect(frames < 2 * Self.calls, "the client read \(frames) frames: every call was answered")
        }
    }

    /// Held back for more than a second, a connection whose client reads nothing keeps two threads
    /// (its reader, held back, and the one stuck sending), its idle followers gone; once the client
    /// reads, every call is answered (before: an idle follower or more waited besides, for good).
    @Test func aConnectionHeldBackKeepsNoIdleFollower() async throws {
        try await withTestServer(configure: { $0.maxQueuedBytesPerConnection = 64 * 1024 }) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            try Self.sendFills(on: raw)
            try await Self.waitUntilHeldBack(server)
            let connection = try #require(server.server.runtime.connections.first)
            try await waitUntil("the idle followers leave") { connection.threadCount <= 2 }

            var answers = PipelinedCallTests.Answers()
            let streamIDs = Set((0..<Self.calls).map { UInt32(2 * $0 + 1) })
            try await PipelinedCallTests.readAnswers(raw, for: streamIDs, into: &answers)
            #expect(streamIDs.allSatisfy { answers.statuses[$0]?.0.code == .ok })
        }
    }

    /// One call whose answer (1 MiB, more than a socket's buffer) its client never reads, with
    /// nothing behind it: the reader ran it itself and sits sending it, so nothing is held back and
    /// nobody counts the idle time. With an idle timeout of a second the send gives up once the
    /// socket took nothing for that long, and the connection and its threads are gone (before: the
    /// reader sent for as long as the client stayed, for good: docs/HARDENING.md, "Threads per user").
    @Test func aReaderSendingTheAnswerOfItsOwnCallIsCutAtTheIdleTimeout() async throws {
        try await withTestServer(configure: { $0.idleTimeout = .seconds(1) }) { server, channel in
            let fill = PipelinedCallTests.callStart(1, TestService.fill, request: try PipelinedCallTests.encode(Number(value: 1 << 20)))
            // A starved test may send its call after the second of silence that closes a connection
            // (a plain idle close, the call never run): then it sends it again on a new one.
            var sent: RawConnection?
            for _ in 0..<10 where sent == nil {
                let attempt = try RawConnection(path: server.socketPath)
                // Its ServerHello says the server holds this connection: until then an empty list
                // of connections says nothing of it (the channel's own may have idled out already).
                _ = try await attempt.readFrame()
                try? attempt.write(fill)
                try await waitUntil("the call answered or its connection closed") {
                    server.callsEnded(.ok) == 1 || server.server.runtime.connections.isEmpty
                }
                if server.callsEnded(.ok) == 1 { sent = attempt } else { attempt.close() }
            }
            let raw = try #require(sent, "the call could not be sent on any of 10 connections")
            defer { raw.close() }
            let runtime = server.server.runtime
            try await waitUntil("the connection whose client reads nothing is cut") { runtime.connections.isEmpty }
            // What the socket held reaches the client, then the end: the answer never whole.
            var statuses = 0
            do {
                while let (header, _) = try await raw.readFrame() {
                    if header.type == .status { statuses += 1 }
                }
            } catch {
                // The frame cut short by the close.
            }
            #expect(statuses == 0, "the 1 MiB answer arrived whole")
            // The channel's own connection idled past the second too: on a starved machine its call
            // can meet that idle close half sent (UNAVAILABLE, the client cannot know whether the
            // server read it): then it is sent again, on the new connection the channel opens.
            var other: EchoResponse?
            for _ in 0..<10 where other == nil {
                do {
                    other = try await channel.unary(TestService.echo, EchoRequest(text: "still serving"), as: EchoResponse.self)
                } catch let error as RPCError where error.code == .unavailable {
                    continue
                }
            }
            #expect(other?.text == "still serving")
        }
    }
}
