import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// customerd's budget of calls in flight per OS user (`--max-calls-per-user`), seen by two real
/// OS users on one real socket.
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
}
