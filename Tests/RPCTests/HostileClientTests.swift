import BinaryCoding
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

/// Clients that try to make the server hold memory or a connection slot for free (PROTOCOL.md,
/// section 9): the server's limits hold, whatever the client announces.
@Suite struct HostileClientTests {
    /// A stream message of TestService.flood on the wire.
    static let floodFrame = FrameHeader.size + ((try? BinaryEncoder().encode(TestService.floodMessage).count) ?? 0)

    struct QueueCase: Sendable, CustomTestStringConvertible {
        let connectionLimit: Int
        let streamLimit: Int
        /// What the server may hold queued at most with four streams flooding.
        let bound: Int
        var testDescription: String { "connection limit \(connectionLimit), stream limit \(streamLimit)" }
    }

    /// The connection's limit binds when it is the smaller; the streams' limits bind when four of
    /// them stay under the connection's (each may exceed its limit by one frame).
    static let queueCases = [
        QueueCase(connectionLimit: 128 * 1024, streamLimit: 1024 * 1024, bound: 128 * 1024 + floodFrame),
        QueueCase(connectionLimit: 1024 * 1024, streamLimit: 32 * 1024, bound: 4 * (32 * 1024 + floodFrame)),
    ]

    @Test(arguments: queueCases)
    func aClientThatGrantsAHugeWindowAndNeverReadsCannotMakeTheServerQueueMore(_ limits: QueueCase) async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: {
            $0.maxQueuedBytesPerConnection = limits.connectionLimit
            $0.maxQueuedBytesPerStream = limits.streamLimit
        }) { server, _ in
            let raw = try RawConnection(path: server.socketPath, initialWindow: .max)
            defer { raw.close() }
            // Four streams of 512 messages each, 4 GiB of credit each: far more than the socket buffer holds.
            for streamID in [UInt32(1), 3, 5, 7] {
                try raw.startUnary(streamID: streamID, method: TestService.flood, request: Number(value: 512))
            }
            let statistics = server.server.runtime.statistics.writeQueue
            func finished() -> Int { probe.recorded.filter { $0 == "flood done" }.count }
            // Settled once one handler is stuck sending into the full socket and the three others
            // wait for room (without limits, they would be done, everything queued).
            while statistics.writersWaiting < 3 && finished() < 3 {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(finished() == 0)
            #expect(statistics.peakQueuedBytes <= limits.bound)
        }
    }

    /// A slowloris: one byte of a frame at a time, each well within the idle timeout, never the
    /// last one. Only complete frames restart the idle clock, so the connection is closed as idle.
    @Test func aFrameTrickledByteByByteDoesNotKeepTheConnectionOpen() async throws {
        try await withTestServer(configure: { $0.idleTimeout = .milliseconds(500) }) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            let hello = try #require(try await raw.readFrame())
            #expect(hello.0.type == .hello)
            let frame = FrameBuilder.frame(.callStart, flags: [.hasMessage, .endStream], streamID: 1) {
                $0.append(contentsOf: [UInt8](repeating: 0, count: 500))
            }
            var sent = 0
            // 40 ms a byte: the whole frame but its last byte would take 20 s.
            while sent < frame.count - 1 && !raw.hasInput() {
                do { try raw.write([frame[sent]]) } catch { break }
                sent += 1
                try await Task.sleep(for: .milliseconds(40))
            }
            let (header, payload) = try #require(try await raw.readFrame())
            #expect(header.type == .goAway)
            let goAway = try GoAway(payload: payload[...])
            #expect(goAway.code == .ok)
            #expect(goAway.message == "idle timeout")
            #expect(sent < frame.count - 1)
            #expect(try await raw.readFrame() == nil)
        }
    }
}
