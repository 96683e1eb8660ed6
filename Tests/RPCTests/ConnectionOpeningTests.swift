import Foundation
@testable import RPCClient
@testable import RPCCore
@testable import RPCTransport
import Synchronization
import Testing

/// Opening a client connection (connect and handshake) never holds a cooperative-pool thread.
@Suite(.timeLimit(.minutes(10))) struct ConnectionOpeningTests {
    @Test func callsWaitingForAHandshakeThatNeverComesLeaveThePoolFreeAndShareOneOpening() async throws {
        // A peer that takes the client's bytes and never answers: the handshake waits for the
        // whole connect timeout. Before, the opening caller blocked a pool thread in that wait and
        // the others blocked on the channel's lock, so with more callers than pool threads nothing
        // else in the process ran (not even the call below) until the timeout.
        let (client, silentPeer) = InProcessStream.pair(clientCredentials: PeerCredentials(uid: 1, gid: 1, pid: 1),
                                                        serverCredentials: PeerCredentials(uid: 0, gid: 0, pid: 1))
        let counts = Counts()
        var configuration = ClientConfiguration()
        configuration.connectTimeout = hangGuard
        let silent = ClientChannel(name: "silent peer", configuration: configuration) { () throws(IOError) -> any ByteStream in
            counts.connects.add(1, ordering: .relaxed)
            return client
        }
        defer { silent.close() }
        let callers = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
        try await withTestServer { _, channel in
            try await withThrowingTaskGroup(of: StatusCode.self) { group in
                for index in 0..<callers {
                    group.addTask {
                        counts.started.add(1, ordering: .relaxed)
                        let error = await rpcError {
                            _ = try await silent.unary(TestService.echo, EchoRequest(text: "\(index)"), as: EchoResponse.self)
                        }
                        return error?.code ?? .ok
                    }
                }
                while counts.connects.load(ordering: .relaxed) == 0 || counts.started.load(ordering: .relaxed) < callers {
                    try await Task.sleep(for: .milliseconds(5))
                }
                let answer = try await channel.unary(TestService.echo, EchoRequest(text: "meanwhile"), as: EchoResponse.self)
                #expect(answer.text == "meanwhile")
                #expect(counts.connects.load(ordering: .relaxed) == 1)
                // The peer goes away: the one opening fails, and with it every caller waiting for it.
                silentPeer.shutdown(.both)
                var codes: [StatusCode] = []
                for try await code in group { codes.append(code) }
                #expect(codes == Array(repeating: .unavailable, count: callers))
            }
        }
    }

    /// Connections opened, and callers started.
    final class Counts: Sendable {
        let connects = Atomic<Int>(0)
        let started = Atomic<Int>(0)
    }
}
