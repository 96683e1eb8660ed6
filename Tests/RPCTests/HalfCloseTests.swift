import BinaryCoding
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import TestSupport
import Testing

/// PROTOCOL.md section 11, "Half-close": a client that has sent its last request may say so and
/// still receives every message and the STATUS.
@Suite struct HalfCloseTests {
    enum HalfClose: String, Sendable, CaseIterable {
        case endStream = "a bare END_STREAM"
        case shutdownWrite = "shutdown(SHUT_WR)"
    }

    @Test(arguments: HalfClose.allCases)
    func aServerStreamHalfClosedAfterItsRequestDeliversEverything(_ halfClose: HalfClose) async throws {
        try await withTestServer { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            #expect(try await raw.readFrame()?.0.type == .hello)
            try raw.startUnary(streamID: 1, method: TestService.count, request: Number(value: 100))
            switch halfClose {
            case .endStream: try raw.write(FrameBuilder.frame(.message, flags: .endStream, streamID: 1))
            case .shutdownWrite: raw.shutdownWrite()
            }
            var values: [Int64] = []
            while let (header, payload) = try await raw.readFrame() {
                if header.type == .status {
                    let status = try CallStatus.parse(payload[...]).0.error
                    #expect(status.code == .ok, "\(status.message)")
                    break
                }
                #expect(header.type == .message)
                values.append(try BinaryDecoder().decode(Number.self, from: payload).value)
            }
            #expect(values == Array(0..<100))
        }
    }

    /// A client-streaming call never ended by the client cannot complete: end of input cancels it.
    ///
    /// The handler must be running before the client shuts down its side: a call cancelled before
    /// its handler starts never runs it (`execute` checks cancellation first), so the handler
    /// could not report the cancellation and the wait for it ran into `hangGuard` (600 s, once).
    @Test func endOfInputCancelsAClientStreamThatWasNotEnded() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            #expect(try await raw.readFrame()?.0.type == .hello)
            try raw.write(FrameBuilder.frame(.callStart, streamID: 1) {
                CallStartHead(timeoutMicroseconds: 0, method: TestService.sum.fullName, metadata: Metadata()).write(into: &$0)
            })
            #expect(await probe.wait(for: "sum started"))
            raw.shutdownWrite()
            let frame = try await raw.readFrame()
            #expect(frame == nil, "\(String(describing: frame))")
            // The server counted the call CANCELLED before it closed the connection. Its handler
            // may not have run at all (the end of input was read before the handler's thread
            // started it); if it did, it saw the cancellation.
            #expect(server.callsEnded(.cancelled) == 1)
            #expect(probe.recorded.filter { $0 != "sum started" }.allSatisfy { $0 == "sum ended with CANCELLED" }, "\(probe.recorded)")
        }
    }

    /// A call whose deadline passes after the client's `shutdown(SHUT_WR)` still gets its
    /// DEADLINE_EXCEEDED before the connection closes. That STATUS is written off the timer's
    /// thread, after the handler saw the cancellation and its thread left: the last thread to leave
    /// closed the socket first, sometimes, and the client saw the end of the connection with no
    /// STATUS (the `streams` fuzz target found it with WatchChanges). Repeated, since it is a race.
    @Test func aDeadlinePassingAfterTheClientsShutdownIsStillAnswered() async throws {
        try await withTestServer { server, _ in
            for round in 0..<40 {
                let raw = try RawConnection(path: server.socketPath)
                defer { raw.close() }
                #expect(try await raw.readFrame()?.0.type == .hello)
                try raw.startUnary(streamID: 1, method: TestService.waitForCancel, request: EchoRequest(text: "late"),
                                   timeoutMicroseconds: UInt64(1_000 + round * 250))
                raw.shutdownWrite()
                let frame = try await raw.readFrame()
                #expect(frame?.0.type == .status, "round \(round): \(String(describing: frame))")
                if let (header, payload) = frame, header.type == .status {
                    #expect(try CallStatus.parse(payload[...]).0.error.code == .deadlineExceeded)
                } else {
                    break
                }
            }
        }
    }
}
