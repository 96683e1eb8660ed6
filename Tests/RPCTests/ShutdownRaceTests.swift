import BinaryCoding
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import TestSupport
import Testing

/// A graceful shutdown racing calls in flight whose deadlines pass during its grace period, and
/// calls sent while it begins: every call is answered with its STATUS, or the GOAWAY names it as
/// not started (its id above the GOAWAY's last started one), never a close in silence.
@Suite struct ShutdownRaceTests {
    /// Repeated, since it is a race: held calls with deadlines of a few milliseconds (they pass
    /// before, during or after the GOAWAY, depending on the round and the machine's load), the
    /// shutdown, then more calls behind it. The grace period (600 s) outlasts any stall of the
    /// machine, so only the deadlines end the held calls, and the shutdown ends once they did.
    @Test func everyCallRacingAShutdownIsAnsweredOrNamedNotStarted() async throws {
        for round in 0..<20 {
            try await withTestServer(configure: { $0.shutdownGracePeriod = .seconds(600) }) { server, _ in
                let raw = try RawConnection(path: server.socketPath)
                defer { raw.close() }
                #expect(try await raw.readFrame()?.0.type == .hello)
                let held: [UInt32] = [1, 3, 5, 7]
                for (index, id) in held.enumerated() {
                    try raw.startUnary(streamID: id, method: TestService.waitForCancel, request: EchoRequest(text: "held \(id)"),
                                       timeoutMicroseconds: UInt64(1_000 + (round * 4 + index) * 500))
                }
                let stopping = Task { await server.server.shutdown() }
                let behind: [UInt32] = [9, 11]
                for id in behind {
                    // The server may have stopped reading already; a refused write is one outcome.
                    try? raw.startUnary(streamID: id, method: TestService.echo, request: EchoRequest(text: "behind \(id)"))
                }
                var statuses: [UInt32: StatusCode] = [:]
                var lastStarted: UInt32?
                while let (header, payload) = try await raw.readFrame() {
                    switch header.type {
                    case .status:
                        #expect(statuses[header.streamID] == nil, "round \(round): a second STATUS on \(header.streamID)")
                        statuses[header.streamID] = try CallStatus.parse(payload[...]).0.error.code
                    case .goAway:
                        let goAway = try GoAway(payload: payload[...])
                        #expect(goAway.code == .ok, "round \(round): \(goAway.message)")
                        lastStarted = goAway.lastStartedStreamID
                    default:
                        Issue.record("round \(round): unexpected \(header.type) on stream \(header.streamID)")
                    }
                }
                await stopping.value
                let named = try #require(lastStarted, "round \(round): the connection closed without a GOAWAY")
                for id in held + behind {
                    #expect(statuses[id] != nil || id > named,
                            "round \(round): call \(id) started (GOAWAY names \(named)) but closed without a STATUS: \(statuses)")
                }
                for id in held {
                    if let code = statuses[id] {
                        #expect(code == .deadlineExceeded || code == .unavailable, "round \(round): call \(id) ended \(code)")
                    }
                }
                for id in behind {
                    if let code = statuses[id] {
                        #expect(code == .ok || code == .unavailable, "round \(round): call \(id) ended \(code)")
                    }
                }
            }
        }
    }
}
