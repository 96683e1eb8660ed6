import CommandLineKit
import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// A client at the user's own default socket trusts only the user's own server (or root's): the
/// kernel says who listens (SO_PEERCRED), so another OS user who made the default directory first
/// and listens there receives nothing (redteam26: customerctl refused such a directory, the
/// library and the Python client connected and sent their calls).
@Suite struct ServerUserCheckTests {
    @Test(.enabled(if: OtherUser.isPossible, OtherUser.skipReason))
    func aServerOfAnotherUserIsRefusedWhereTheClientExpectsItsOwn() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(chmod(root.path, 0o711) == 0)
        // A real customerd running as another OS user, its socket and database in its own directory.
        let other = UInt32.random(in: 40_000..<60_000)
        let home = root.path + "/other"
        #expect(mkdir(home, 0o700) == 0 && chown(home, other, other) == 0)
        let socket = home + "/d.sock"
        let daemon = try ChildProcess.spawn(OtherUser.setpriv, [
            "--reuid=\(other)", "--regid=\(other)", "--clear-groups", try Products.url(of: "customerd").path,
            "--socket", socket, "--database", home + "/c.sqlite", "--log-level", "warning",
        ])
        defer { daemon.killInBackground() }

        var itsOwn = ClientConfiguration()
        itsOwn.serverUsers = [other]
        let trusting = CustomerClient(socketPath: socket, configuration: itsOwn)
        defer { trusting.close() }
        try await waitUntilServing(trusting)

        // What a client without a socket path expects at the default socket.
        var ours = ClientConfiguration()
        ours.serverUsers = DefaultEndpoint.ownServerUsers
        let client = CustomerClient(socketPath: socket, configuration: ours)
        defer { client.close() }
        let error = try await #require(throws: RPCError.self) { try await client.server.health() }
        #expect(error.code == .unavailable)
        #expect(error.message.hasPrefix("refusing the server at \(socket): it runs as uid \(other) (pid "), "\(error.message)")
        #expect(error.message.contains("not as root or uid \(getuid())") || getuid() == 0, "\(error.message)")
        // The server it expects is served as before.
        #expect(try await trusting.server.health() == .serving)
    }

    /// Without a socket path both clients expect the user's own server, unless CUSTOMER_SOCKET names
    /// the socket; a path given by the caller is the caller's choice.
    @Test func onlyTheDefaultSocketExpectsTheUsersOwnServer() {
        let defaulted = CustomerClient()
        defer { defaulted.close() }
        let blocking = BlockingCustomerClient()
        defer { blocking.close() }
        let expected: Set<UInt32>? = DefaultEndpoint.isNamed() ? nil : [getuid(), 0]
        #expect(defaulted.channel.configuration.serverUsers == expected)
        #expect(blocking.channel.configuration.serverUsers == expected)
        let named = CustomerClient(socketPath: "/tmp/elsewhere.sock")
        defer { named.close() }
        #expect(named.channel.configuration.serverUsers == nil)
        #expect(DefaultEndpoint.isNamed(environment: ["CUSTOMER_SOCKET": "/s"]))
        #expect(!DefaultEndpoint.isNamed(environment: ["CUSTOMER_SOCKET": ""]))
    }
}
