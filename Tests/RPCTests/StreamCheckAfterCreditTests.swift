@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Synchronization
import TestSupport
import Testing

/// A server stream's message that waited for the client's credit is checked again before it goes
/// (`ServerStreamWriter.checking`, which GuardedRouter runs as `CallerStanding`): a change
/// acknowledged while it waited ends the stream there. spec25's outside client saw one customer
/// more arrive after its user's deactivation was acknowledged: the message checked before it, then
/// held by a 1-byte window until the client gave credit.
@Suite struct StreamCheckAfterCreditTests {
    /// Once revoked, the check refuses as a deactivated caller's stream is refused.
    final class Revocation: Sendable {
        private let revoked = Atomic(false)
        func revoke() { revoked.store(true, ordering: .relaxed) }
        var isRevoked: Bool { revoked.load(ordering: .relaxed) }
    }

    /// Streams `value` numbers through a writer carrying the check, recording when the check runs
    /// for the second message.
    struct CheckedStream: RPCService {
        static let method = MethodDescriptor(service: "test.Checked", method: "Stream", kind: .serverStreaming)
        let probe: Probe
        let revocation: Revocation

        func register(with router: inout Router) {
            router.registerServerStreaming(Self.method) { [probe, revocation] (request: Number, writer: ServerStreamWriter<Number>, _) in
                let checked = writer.checking { messages in
                    if messages == 1 { probe.record("second message checked") }
                    if revocation.isRevoked {
                        throw RPCError(.unauthenticated, "revoked; the stream ended after \(messages) messages")
                    }
                }
                for value in 0..<request.value { try checked.send(Number(value: value)) }
            }
        }
    }

    @Test func aMessageThatWaitedForCreditIsNotSentOnceItsCheckRefuses() async throws {
        let probe = Probe()
        let revocation = Revocation()
        let server = try TestServer.start(probe: probe, services: [CheckedStream(probe: probe, revocation: revocation)])
        try await withCleanup {
            // A 1-byte window: the first message spends it, the second waits for credit.
            let raw = try RawConnection(path: server.socketPath, initialWindow: 1)
            defer { raw.close() }
            #expect(try await raw.readFrame()?.0.type == .hello)
            try raw.startUnary(streamID: 1, method: CheckedStream.method, request: Number(value: 3))
            #expect(try await raw.readFrame()?.0.type == .message)
            // The second message passed its check before the revocation, and waits for credit.
            #expect(await probe.wait(for: "second message checked"))
            revocation.revoke()
            var credit: [UInt8] = []
            WindowUpdate.append(streamID: 1, increment: 1 << 20, to: &credit)
            try raw.write(credit)
            let (header, payload) = try #require(try await raw.readFrame(), "the server closed the connection")
            #expect(header.type == .status, "a \(header.type) frame came after the revocation, not the call's STATUS")
            if header.type == .status {
                let status = try CallStatus.parse(payload[...]).0.error
                #expect(status.code == .unauthenticated, "\(status)")
                #expect(status.message.contains("the stream ended after 1 messages"), "\(status)")
            }
        } cleanup: {
            await server.stop()
        }
    }
}
