import Foundation
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import TestSupport
import Testing

/// A connection's calls share one deadline entry (``DeadlineWatch``): it is due at the earliest
/// deadline of the calls in flight, moved earlier by a call that brings an earlier one and on to the
/// next when it fires. These calls' deadlines are met although a call whose deadline is an hour away
/// was there first (with one entry left at the first call's deadline, they would wait for it).
@Suite struct ConnectionDeadlineTests {
    static let anHour: UInt64 = 3_600_000_000

    @Test func theServerAnswersAnEarlierDeadlineBehindALaterOneAndTheNextAfterIt() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            try raw.startUnary(streamID: 1, method: TestService.waitForCancel, request: EchoRequest(text: "hour"),
                               timeoutMicroseconds: Self.anHour)
            #expect(await probe.wait(for: "hour started"))
            // Earlier than the hour's: the entry moves to it.
            try raw.startUnary(streamID: 3, method: TestService.waitForCancel, request: EchoRequest(text: "first"),
                               timeoutMicroseconds: 100_000)
            let first = try await raw.readStatus()
            #expect(first.streamID == 3)
            #expect(first.error.code == .deadlineExceeded, "\(first.error)")
            // The entry went on to the hour's deadline when it fired; this one moves it back.
            try raw.startUnary(streamID: 5, method: TestService.waitForCancel, request: EchoRequest(text: "second"),
                               timeoutMicroseconds: 100_000)
            let second = try await raw.readStatus()
            #expect(second.streamID == 5)
            #expect(second.error.code == .deadlineExceeded, "\(second.error)")
            #expect(await probe.waitIfStarted("first started", for: "first saw cancellation"))
            #expect(await probe.waitIfStarted("second started", for: "second saw cancellation"))
            // The hour's call still runs: nothing cancelled it.
            #expect(!probe.recorded.contains("hour saw cancellation"))
            #expect(server.callsEnded(.deadlineExceeded) == 2)
        }
    }

    @Test func theClientEndsAnEarlierDeadlineBehindALaterOneAndTheNextAfterIt() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, channel in
            let hour = Task {
                try await channel.unary(TestService.waitForCancel, EchoRequest(text: "hour"), as: EchoResponse.self,
                                        options: CallOptions(timeout: .seconds(3600)))
            }
            #expect(await probe.wait(for: "hour started"))
            for text in ["first", "second"] {
                let error = await rpcError {
                    _ = try await channel.unary(TestService.waitForCancel, EchoRequest(text: text), as: EchoResponse.self,
                                                options: CallOptions(timeout: .milliseconds(200)))
                }
                #expect(error?.code == .deadlineExceeded, "\(String(describing: error))")
                #expect(await probe.waitIfStarted("\(text) started", for: "\(text) saw cancellation"))
            }
            #expect(!probe.recorded.contains("hour saw cancellation"))
            hour.cancel()
            let error = await rpcError { _ = try await hour.value }
            #expect(error?.code == .cancelled)
            try await waitUntil("the server to end the three calls") { server.callsEnded(.deadlineExceeded) + server.callsEnded(.cancelled) >= 3 }
        }
    }
}
