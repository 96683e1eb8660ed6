import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// customerd's per-user budgets: calls in flight (`--max-calls-per-user`), seen by two real OS
/// users on one real socket, input held (`--max-input-per-user`), answers queued (`--max-queued-per-user`)
/// and server streams open (`--max-streams-per-user`).
@Suite struct CallBudgetTests {
    /// With a budget of one call, this test's user holds its call with a watch (it stays open,
    /// waiting for commits); its next call is refused RESOURCE_EXHAUSTED naming the limit, and
    /// another OS user is still served.
    @Test(.enabled(if: OtherUser.isPossible, OtherUser.skipReason))
    func anotherOSUserIsServedWhileTheFirstIsAtItsCallBudget() async throws {
        try await OtherUser.withSharedDaemon(arguments: ["--max-calls-per-user", "1"]) { socket, group, admin in
            _ = try await admin.users.add(uid: 4242, name: "alice")
            _ = try await admin.customers.create(CustomerFields(name: "Budget Oy"))

            // The backlog's first event shows the watch runs; it then waits for the next commit.
            var events = admin.changes.watch(after: 0).makeAsyncIterator()
            #expect(try await events.next() != nil)
            let refused = await outcome { _ = try await admin.customers.list() }
            #expect(refused?.code == .resourceExhausted)
            #expect(refused?.message == "too many calls in flight from uid \(getuid()) (limit 1 per user, on all its connections); "
                    + "wait for some to finish")

            let whoami = try await OtherUser.run(uid: 4242, gid: group, "customerctl", ["--socket", socket, "whoami"])
            #expect(whoami.status == 0, "\(whoami.stdout) \(whoami.stderr)")
            #expect(whoami.stdout.contains("alice"))
        }
    }

    @Test func aBadBudgetIsAUsageErrorNamingTheOption() async throws {
        let result = try await runProduct("customerd", ["--max-calls-per-user", "0"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("max-calls-per-user' needs a whole number from 1 to 1000000, got '0'"), "\(result.stderr)")
    }

    @Test func aBadImportSizeIsAUsageErrorNamingTheOption() async throws {
        let result = try await runProduct("customerd", ["--max-import-size", "0"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("max-import-size' needs a whole number from 1 to 1048576, got '0'"), "\(result.stderr)")
    }

    /// `--max-input-per-user` reaches the server: with 1 MiB, a create whose frame announces more
    /// is refused RESOURCE_EXHAUSTED naming the limit before its payload is read (not judged by its
    /// fields), and the same client's next call is served.
    @Test func theInputBudgetOptionBoundsWhatOneUserSends() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let daemon = try startDaemon(socket: files.socket, database: files.database, arguments: ["--max-input-per-user", "1"])
        defer { daemon.killInBackground() }
        let client = CustomerClient(socketPath: files.socket)
        defer { client.close() }
        try await waitUntilServing(client)
        let refused = await #expect(throws: RPCError.self) {
            _ = try await client.customers.create(CustomerFields(name: "Large", description: String(repeating: "x", count: 1_500_000)))
        }
        #expect(refused?.code == .resourceExhausted, "\(String(describing: refused))")
        #expect(refused?.message.contains("past its limit of 1048576 bytes") == true, "\(String(describing: refused))")
        #expect(try await client.customers.create(CustomerFields(name: "Small")).name == "Small")
        let usage = try await runProduct("customerd", ["--max-input-per-user", "0"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("max-input-per-user' needs a whole number from 1 to 1048576, got '0'"), "\(usage.stderr)")
    }

    /// `--max-queued-per-user` reaches the server (its server info reports the budget in bytes), and
    /// 0 is a usage error naming the option. What the budget does: RPCTests/UserQueueBudgetTests.
    @Test func theQueueBudgetOptionReachesTheServer() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let daemon = try startDaemon(socket: files.socket, database: files.database, arguments: ["--max-queued-per-user", "3"])
        defer { daemon.killInBackground() }
        let client = CustomerClient(socketPath: files.socket)
        defer { client.close() }
        try await waitUntilServing(client)
        #expect(try await client.server.info().maxQueuedBytesPerUser == 3 * 1_048_576)
        let usage = try await runProduct("customerd", ["--max-queued-per-user", "0"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("max-queued-per-user' needs a whole number from 1 to 1048576, got '0'"), "\(usage.stderr)")
    }

    /// With a limit of two streams, this test's user holds two watches (open, waiting for commits):
    /// its next stream is refused RESOURCE_EXHAUSTED naming the limit and the option, while a page
    /// is still served; streams that ended gave their places back, and so do a cancelled watch and
    /// one whose connection closed. ServerInfo reports the limit.
    @Test func aStreamPastTheUsersLimitIsRefusedAndEndedStreamsGiveTheirPlaceBack() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let daemon = try startDaemon(socket: files.socket, database: files.database, arguments: ["--max-streams-per-user", "2"])
        defer { daemon.killInBackground() }
        let client = CustomerClient(socketPath: files.socket)
        defer { client.close() }
        try await waitUntilServing(client)
        #expect(try await client.server.info().maxServerStreamsPerUser == 2)
        let created = try await client.customers.create(CustomerFields(name: "Stream Oy"))

        // Streams read to their end, more than the limit one after the other: each gave its place back.
        for _ in 0..<3 {
            var streamed: [Int64] = []
            for try await customer in client.customers.stream() { streamed.append(customer.id) }
            #expect(streamed == [created.id])
        }

        let other = CustomerClient(socketPath: files.socket)
        var otherClosed = false
        defer { if !otherClosed { other.close() } }
        var held = other.changes.watch(after: 0).makeAsyncIterator()
        #expect(try await held.next() != nil)
        let (started, signal) = AsyncStream<Void>.makeStream()
        let cancelled = Task {
            for try await _ in client.changes.watch(after: 0) { signal.yield() }
        }
        defer { cancelled.cancel() }
        var starts = started.makeAsyncIterator()
        #expect(await starts.next() != nil)

        let refused = await outcome { for try await _ in client.customers.stream() {} }
        #expect(refused?.code == .resourceExhausted)
        #expect(refused?.message == "too many server streams open from uid \(getuid()) (limit 2 per user, on all its "
                + "connections); read or cancel the streams you hold")
        #expect(try await client.customers.list().customers.map(\.id) == [created.id])

        cancelled.cancel()
        try await waitUntil("the cancelled watch's place is given back") { await Self.streamServed(client) }

        var again = client.changes.watch(after: 0).makeAsyncIterator()
        #expect(try await again.next() != nil)
        #expect(await outcome { for try await _ in client.customers.stream() {} }?.code == .resourceExhausted)
        other.close()
        otherClosed = true
        try await waitUntil("the closed connection's watch gives its place back") { await Self.streamServed(client) }
        // The watches stay open until here (an iterator released early would cancel its watch).
        withExtendedLifetime((held, again)) {}
    }

    /// Whether a whole stream of customers was served (false: refused, as past the streams limit).
    private static func streamServed(_ client: CustomerClient) async -> Bool {
        await outcome { for try await _ in client.customers.stream() {} } == nil
    }
}
