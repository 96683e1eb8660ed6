import BinaryCoding
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import TestSupport
import Testing

/// The end of a shutdown's grace period: the calls still running are cut, each with a STATUS.
@Suite struct ShutdownGraceTests {
    /// Held calls end only when the server cancels them (they have no deadline), so however long
    /// the machine stalls, they are still running when the grace period ends: each gets
    /// `UNAVAILABLE` naming the shutdown, after the GOAWAY that named it started. The wait for
    /// those writes (600 s) outlasts any stall: the client reads, so the shutdown never waits it out.
    @Test func callsCutAtTheEndOfTheGracePeriodAreAnsweredUnavailable() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: {
            $0.shutdownGracePeriod = .milliseconds(100)
            $0.shutdownStatusWait = .seconds(600)
        }) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            #expect(try await raw.readFrame()?.0.type == .hello)
            let held: [UInt32] = [1, 3, 5]
            for id in held {
                try raw.startUnary(streamID: id, method: TestService.waitForCancel, request: EchoRequest(text: "held \(id)"))
            }
            for id in held {
                #expect(await probe.wait(for: "held \(id) started"), "call \(id) never started")
            }
            let stopping = Task { await server.server.shutdown() }
            var statuses: [UInt32: RPCError] = [:]
            var lastStarted: UInt32?
            while let (header, payload) = try await raw.readFrame() {
                switch header.type {
                case .status:
                    #expect(statuses[header.streamID] == nil, "a second STATUS on \(header.streamID)")
                    statuses[header.streamID] = try CallStatus.parse(payload[...]).0.error
                case .goAway:
                    lastStarted = try GoAway(payload: payload[...]).lastStartedStreamID
                default:
                    Issue.record("unexpected \(header.type) on stream \(header.streamID)")
                }
            }
            await stopping.value
            #expect(lastStarted == 5, "the GOAWAY named \(String(describing: lastStarted)) as the last call started")
            for id in held {
                let status = try #require(statuses[id], "call \(id) was cut without a STATUS: \(statuses)")
                #expect(status.code == .unavailable, "call \(id) ended \(status.code): \(status.message)")
                #expect(status.message.contains("the server is shutting down")
                        && status.message.contains("grace period"), "call \(id): \(status.message)")
            }
            #expect(server.callsEnded(.unavailable) == UInt64(held.count))
        }
    }

    /// A client that reads nothing (a stream's answers fill its socket) cannot hold the shutdown:
    /// the cut calls' STATUS is written without the shutdown waiting for it, and the shutdown ends.
    @Test func aClientThatDoesNotReadCannotHoldTheShutdownPastItsGrace() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: { $0.shutdownGracePeriod = .milliseconds(100) }) { server, _ in
            let raw = try RawConnection(path: server.socketPath, initialWindow: UInt32.max)
            defer { raw.close() }
            // 64 MiB of answers: far more than the socket and the server's queue hold.
            try raw.startUnary(streamID: 1, method: TestService.flood, request: Number(value: 4096))
            try raw.startUnary(streamID: 3, method: TestService.waitForCancel, request: EchoRequest(text: "held 3"))
            #expect(await probe.wait(for: "held 3 started"), "the held call never started")
            try await withDeadline("the shutdown of a server whose client does not read") {
                await server.server.shutdown()
            }
            #expect(await probe.wait(for: "held 3 saw cancellation"))
        }
    }
}
