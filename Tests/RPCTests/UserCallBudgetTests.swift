import TestSupport
import Glibc
import Testing
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import ThreadSync

/// The budget of calls in flight per OS user (`maxCallsPerUser`): a user at it is refused, on every
/// one of its connections, while another user is served; a call that ends gives its place back.
@Suite struct UserCallBudgetTests {
    static let otherUser = PeerCredentials(uid: 5001, gid: 500, pid: 101)

    /// The first user holds two calls on two connections (the budget is the user's, not a
    /// connection's); its third call is refused with the limit named, a second user (the same
    /// server, served a connection with other credentials) is answered, and once one held call is
    /// cancelled the first user is served again.
    @Test func aUserAtItsBudgetIsRefusedWhileAnotherUserIsServed() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: { $0.maxCallsPerUser = 2 }) { server, channel in
            let secondConnection = server.channel()
            defer { secondConnection.close() }
            let held = [channel, secondConnection].enumerated().map { index, channel in
                Task { try await channel.unary(TestService.waitForCancel, EchoRequest(text: "held \(index)"), as: EchoResponse.self) }
            }
            defer { for task in held { task.cancel() } }
            #expect(await probe.wait(for: "held 0 started"))
            #expect(await probe.wait(for: "held 1 started"))

            let refused = await rpcError { _ = try await channel.unary(TestService.echo, EchoRequest(text: "third"), as: EchoResponse.self) }
            #expect(refused?.code == .resourceExhausted)
            #expect(refused?.message == "too many calls in flight from uid \(getuid()) (limit 2 per user, on all its "
                    + "connections); wait for some to finish")

            let other = server.channel(as: Self.otherUser)
            defer { other.close() }
            let peer = try await other.unary(TestService.whoAmI, EchoRequest(text: ""), as: PeerResponse.self)
            #expect(peer.uid == Self.otherUser.uid)

            held[0].cancel()
            // The server gives the place back before its handler learns of the cancellation.
            #expect(await probe.wait(for: "held 0 saw cancellation"))
            let again = try await channel.unary(TestService.echo, EchoRequest(text: "again"), as: EchoResponse.self)
            #expect(again.text == "again")
            held[1].cancel()
            #expect(await probe.wait(for: "held 1 saw cancellation"))
            for task in held { #expect(await rpcError { _ = try await task.value }?.code == .cancelled) }
        }
    }

    /// The budget behind both limits (calls per user, one a unit; a connection's buffered
    /// client-stream bytes): a refused take counts nothing, a give-back makes room again.
    @Test func theBudgetCountsAndGivesBack() {
        let calls = SharedBudget(limit: 2)
        #expect(calls.take(1) && calls.take(1))
        #expect(!calls.take(1))
        #expect(calls.inUse == 2)
        calls.giveBack(1)
        #expect(calls.take(1))
        #expect(!calls.take(1))

        let bytes = SharedBudget(limit: 1_000)
        #expect(bytes.take(600))
        #expect(!bytes.take(401) && bytes.inUse == 600)
        #expect(!bytes.take(Int.max) && bytes.inUse == 600)
        #expect(bytes.take(400) && bytes.inUse == 1_000)
        bytes.giveBack(1_000)
        #expect(bytes.inUse == 0)
    }
}
