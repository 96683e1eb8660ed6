import BinaryCoding
import Glibc
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

/// The watchdog asks the sockets of every connection whose inline handler runs past its promotion
/// time in one poll (`InputPoll`); a connection with input behind its handler gets a reader, one
/// without does not need one.
@Suite struct LeadershipWatchdogTests {
    /// Three connections each run a slow call inline (their leaders keep the reader role); a call
    /// then arrives on the last one only. It is answered while all three slow calls still run:
    /// the one poll found its input and the watchdog promoted a reader on that connection, and on
    /// no other one of the poll.
    @Test func aCallArrivingBehindOneOfSeveralSlowInlineCallsIsAnsweredWhileTheyRun() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, _ in
            let raws = try (0..<3).map { _ in try RawConnection(path: server.socketPath) }
            defer { for raw in raws { raw.close() } }
            let slow = try PipelinedCallTests.encode(EchoRequest(text: "slow"))
            for raw in raws { try raw.write(PipelinedCallTests.callStart(1, TestService.slowEcho, request: slow)) }
            #expect(await probe.wait(for: "slow started", count: 3))

            try raws[2].write(PipelinedCallTests.callStart(3, TestService.echo,
                                                           request: try PipelinedCallTests.encode(EchoRequest(text: "behind"))))
            var answers = PipelinedCallTests.Answers()
            try await PipelinedCallTests.readAnswers(raws[2], for: [3], into: &answers)
            let (status, message) = try #require(answers.statuses[3])
            #expect(status.code == .ok)
            #expect(try BinaryDecoder().decode(EchoResponse.self, from: message) == EchoResponse(text: "behind"))
            #expect(answers.statuses[1] == nil, "the slow call was released by nobody")
            // Only that connection got a second thread: the other two sockets of the same poll had
            // nothing to read, and a reader promoted there would only have slept.
            let promoted = server.server.runtime.connections.filter { $0.threadCount > 1 }
            #expect(promoted.count == 1)

            probe.record("release slow")
            for raw in raws {
                var slowAnswers = PipelinedCallTests.Answers()
                try await PipelinedCallTests.readAnswers(raw, for: [1], into: &slowAnswers)
                #expect(slowAnswers.statuses[1]?.0.code == .ok)
            }
        }
    }

    /// One poll over several sockets tells each one's input apart: none, bytes, the peer gone.
    @Test func oneAskReportsEachDescriptorsOwnInput() throws {
        var quiet: [Int32] = [0, 0], talking: [Int32] = [0, 0], gone: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &quiet) == 0)
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &talking) == 0)
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &gone) == 0)
        defer { for fd in quiet + talking + [gone[0]] { close(fd) } }
        #expect(write(talking[1], "x", 1) == 1)
        close(gone[1])

        var poll = InputPoll()
        let indexes = [poll.append(quiet[0]), poll.append(talking[0]), poll.append(gone[0])]
        poll.ask()
        #expect(indexes.map { poll.hasInput(at: $0) } == [false, true, true])

        // Reused: the next ask covers only what was added after `removeAll`.
        poll.removeAll()
        #expect(poll.isEmpty)
        let again = poll.append(quiet[0])
        poll.ask()
        #expect(!poll.hasInput(at: again))
    }
}
